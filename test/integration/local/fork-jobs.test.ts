/**
 * A job forked from the warm fork server must be indistinguishable from the same job spawned cold: each
 * script below runs both ways (MLOPS_FORK_SERVER=off spawns) and the logs, exit codes and files compare equal.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { createJobDirectory, type JobDirectory } from '../../../local/runtimes/job-directory';
import { JobLog } from '../../../local/runtimes/job-log';
import { findPython } from '../../../local/runtimes/python';
import { closeForkServers, warmForkServer } from '../../../local/runtimes/python-launcher';
import { runSandboxed, type SandboxResult } from '../../../local/runtimes/sandbox';

jest.setTimeout(120_000);

type Mode = 'fork' | 'spawn';

interface JobRun {
  readonly result: SandboxResult;
  readonly log: string;
  readonly directory: JobDirectory;
}

// A comma in the state dir once broke the overlay's mount options.
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'fork-jobs,state-'));
const python = findPython();

const BASE_ENV = {
  PATH: '/usr/bin:/bin',
  LANG: 'C.UTF-8',
  OMP_WAIT_POLICY: 'PASSIVE',
  PYTHONDONTWRITEBYTECODE: '1',
};

// The server the jobs below fork from, warmed once up front (and it can start here at all).
beforeAll(async () => {
  const warm = await warmForkServer({
    python,
    flags: ['-u'],
    script: 'job.py',
    args: [],
    env: BASE_ENV,
    cwd: state,
    stdout: 'pipe',
    stderr: 'pipe',
  });
  expect(warm).toBe(true);
});

afterAll(() => {
  closeForkServers();
  fs.rmSync(state, { recursive: true, force: true });
});

async function runJob(
  mode: Mode,
  options: {
    script: string;
    files?: Record<string, string>;
    args?: string[];
    /** The script's container path, when not the one written. */
    entry?: string;
    env?: Record<string, string>;
    stopAfterMs?: number;
  },
): Promise<JobRun> {
  const directory = createJobDirectory(state, 'probe-job');
  const code = path.join(directory.optMl, 'code');
  fs.mkdirSync(code, { recursive: true });
  fs.writeFileSync(path.join(code, 'job.py'), options.script);
  for (const [name, content] of Object.entries(options.files ?? {}))
    fs.writeFileSync(path.join(code, name), content);
  const log = new JobLog(directory.logFile);
  const controller = new AbortController();
  if (options.stopAfterMs !== undefined) setTimeout(() => controller.abort(), options.stopAfterMs);
  const previous = process.env.MLOPS_FORK_SERVER;
  process.env.MLOPS_FORK_SERVER = mode === 'spawn' ? 'off' : 'on';
  try {
    const result = await runSandboxed({
      command: [python, '-u', options.entry ?? '/opt/ml/code/job.py', ...(options.args ?? [])],
      env: { ...BASE_ENV, HOME: directory.tmp, ...options.env },
      directory,
      log,
      signal: controller.signal,
    });
    // The job's own output: the local AWS's notes (spawned or forked) set aside.
    const output = fs
      .readFileSync(directory.logFile, 'utf8')
      .split(/(?<=\n)/)
      .filter((line) => !line.startsWith('[local-aws '))
      .join('');
    return { result, log: output, directory };
  } finally {
    log.close();
    if (previous === undefined) delete process.env.MLOPS_FORK_SERVER;
    else process.env.MLOPS_FORK_SERVER = previous;
  }
}

async function both(options: Parameters<typeof runJob>[1]): Promise<Record<Mode, JobRun>> {
  const spawned = await runJob('spawn', options);
  const forked = await runJob('fork', options);
  return { spawn: spawned, fork: forked };
}

const outcome = (run: JobRun) => ({
  exitCode: run.result.exitCode,
  signal: run.result.signal,
  stopped: run.result.stopped,
});

const PROBE = `
import json, os, signal, sys
import helper
fds = sorted(int(fd) for fd in os.listdir('/proc/self/fd'))
print(json.dumps({
  "argv": sys.argv, "path0": sys.path[0], "cwd": os.getcwd(), "env": dict(os.environ),
  "opt_ml": sorted(os.listdir('/opt/ml')), "main": __name__, "file": __file__,
  "helper": helper.VALUE, "fds": fds[:3] + [fd for fd in fds[3:] if os.path.exists('/proc/self/fd/%d' % fd)],
  "session_leader": os.getsid(0) == os.getpid(), "group_leader": os.getpgid(0) == os.getpid(),
  "sigterm": str(signal.getsignal(signal.SIGTERM)), "sigint": str(signal.getsignal(signal.SIGINT)),
  "sigpipe": str(signal.getsignal(signal.SIGPIPE)), "stdin": sys.stdin.read(),
  "unbuffered": not hasattr(sys.stdout.buffer, 'raw'), "bytecode": sys.dont_write_bytecode,
}, sort_keys=True))
with open('/opt/marker', 'w') as handle:
  handle.write('overlay')
`;

describe('a forked Python job is isolated like a spawned one', () => {
  it('sees the same argv, sys.path, cwd, environment, /opt/ml, descriptors, signals and stdio', async () => {
    const runs = await both({
      script: PROBE,
      files: { 'helper.py': 'VALUE = "first"\n' },
      args: ['--alpha', '1'],
      env: { JOB_ONLY: 'yes' },
    });
    expect(outcome(runs.fork)).toEqual({ exitCode: 0, signal: null, stopped: false });
    const seen = JSON.parse(runs.fork.log) as Record<string, unknown>;
    // A spawned job inherits whatever descriptors Node's own parent leaked to it; a forked one starts with 0-2.
    const withoutFds = ({ fds: _fds, ...rest }: Record<string, unknown>) => rest;
    expect(withoutFds(seen)).toEqual(withoutFds(JSON.parse(runs.spawn.log) as Record<string, unknown>));
    expect(seen).toMatchObject({
      argv: ['/opt/ml/code/job.py', '--alpha', '1'],
      path0: '/opt/ml/code',
      fds: [0, 1, 2],
      main: '__main__',
      session_leader: true,
      stdin: '',
    });
    expect((seen.env as Record<string, string>).JOB_ONLY).toBe('yes');
    // What the job wrote to /opt stayed in its overlay.
    expect(fs.existsSync('/opt/marker')).toBe(false);
    expect(fs.readFileSync(path.join(runs.fork.directory.root, 'sandbox', 'upper', 'marker'), 'utf8')).toBe(
      'overlay',
    );
  });

  it('is forked from the warm server when forking, spawned otherwise', async () => {
    const script =
      'import os\nprint(b"fork_server.py" in open("/proc/%d/cmdline" % os.getppid(), "rb").read())\n';
    const runs = await both({ script });
    expect([runs.fork.log, runs.spawn.log]).toEqual(['True\n', 'False\n']);
  });

  it('waits for a server that is still importing the ML stack rather than starting cold beside it', async () => {
    const script =
      'import os\nprint(b"fork_server.py" in open("/proc/%d/cmdline" % os.getppid(), "rb").read())\n';
    // Another start-up variable: a server of its own, which this job is the first to need.
    const run = await runJob('fork', { script, env: { LC_MEASUREMENT: 'C.UTF-8' } });
    expect(run.log).toBe('True\n');
    const log = fs.readFileSync(run.directory.logFile, 'utf8');
    expect(log).not.toContain('starts cold');
    expect(log).toMatch(/waited \d+ ms for the fork server to finish importing the ML stack/);
  });

  it('shares no interpreter state between jobs: user modules, random generators', async () => {
    const script = `import helper, random, numpy\nprint(helper.VALUE, random.random(), numpy.random.rand())\n`;
    const first = await runJob('fork', { script, files: { 'helper.py': 'VALUE = "first"\n' } });
    const second = await runJob('fork', { script, files: { 'helper.py': 'VALUE = "second"\n' } });
    const [value1, random1, numpy1] = first.log.trim().split(' ');
    const [value2, random2, numpy2] = second.log.trim().split(' ');
    expect([value1, value2]).toEqual(['first', 'second']);
    expect(random2).not.toBe(random1);
    expect(numpy2).not.toBe(numpy1);
  });

  it.each([
    ['an uncaught exception', 'def fail():\n    raise ValueError("bad row 7")\nfail()\n', 1],
    ['sys.exit with a message', 'import sys\nsys.exit("AlgorithmError: no rows")\n', 1],
    ['sys.exit with a code', 'import sys\nprint("partial")\nsys.exit(3)\n', 3],
    ['a syntax error', 'print("unclosed"\n', 1],
    [
      'atexit handlers and threads',
      'import atexit, threading, time\natexit.register(print, "atexit ran")\nthreading.Thread(target=lambda: (time.sleep(0.2), print("thread done"))).start()\n',
      0,
    ],
  ])('ends with the same exit code and messages: %s', async (_name, script, exitCode) => {
    const runs = await both({ script });
    expect(outcome(runs.fork)).toEqual({ exitCode, signal: null, stopped: false });
    expect(runs.fork.log).toBe(runs.spawn.log);
  });

  it('says what a fresh interpreter says about a missing script', async () => {
    const runs = await both({ script: '', entry: '/opt/ml/code/missing.py' });
    expect(outcome(runs.fork)).toEqual({ exitCode: 2, signal: null, stopped: false });
    expect(runs.fork.log).toBe(runs.spawn.log);
  });

  it('is stopped with its whole process group, as a spawned job is', async () => {
    const script = `import os, signal, subprocess, sys, time
child = subprocess.Popen(['sleep', '60'])
with open('/opt/ml/grandchild', 'w') as handle:
    handle.write(str(child.pid))
def on_term(*_):
    print('terminated'); sys.exit(143)
signal.signal(signal.SIGTERM, on_term)
print('ready', flush=True)
time.sleep(60)
`;
    const runs = await both({ script, stopAfterMs: 1500 });
    expect(outcome(runs.fork)).toEqual({ exitCode: 143, signal: null, stopped: true });
    expect(runs.fork.log).toBe(runs.spawn.log);
    const grandchild = Number(fs.readFileSync(path.join(runs.fork.directory.optMl, 'grandchild'), 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      fs.existsSync(`/proc/${grandchild}`) &&
        !/ Z /.test(fs.readFileSync(`/proc/${grandchild}/stat`, 'utf8')),
    ).toBe(false);
  });

  it('dies by the signal when it does not handle it', async () => {
    const runs = await both({ script: 'import time\ntime.sleep(60)\n', stopAfterMs: 1000 });
    expect(outcome(runs.fork)).toEqual({ exitCode: null, signal: 'SIGTERM', stopped: true });
    expect(outcome(runs.spawn)).toEqual(outcome(runs.fork));
  });

  it('writes byte-identical outputs (pandas, scikit-learn, XGBoost)', async () => {
    const script = `import os, numpy as np, pandas as pd, xgboost as xgb
from sklearn.model_selection import train_test_split
rng = np.random.default_rng(7)
frame = pd.DataFrame(rng.normal(size=(400, 5)), columns=list('abcde'))
frame['y'] = frame.a * 2 + frame.b - frame.c + rng.normal(scale=0.1, size=400)
train, test = train_test_split(frame, test_size=0.25, random_state=7)
os.makedirs('/opt/ml/model', exist_ok=True)
train.to_csv('/opt/ml/model/train.csv', index=False)
booster = xgb.train({'max_depth': 3, 'eta': 0.3, 'objective': 'reg:squarederror'},
    xgb.DMatrix(train[list('abcde')], label=train.y), num_boost_round=20)
booster.save_model('/opt/ml/model/xgboost-model')
print('rmse', float(np.sqrt(np.mean((booster.predict(xgb.DMatrix(test[list('abcde')])) - test.y) ** 2))))
`;
    const spawned = await runJob('spawn', { script });
    const read = (run: JobRun) =>
      ['train.csv', 'xgboost-model'].map((name) =>
        fs.readFileSync(path.join(run.directory.optMl, 'model', name)),
      );
    const spawnedFiles = read(spawned);
    const forked = await runJob('fork', { script });
    expect(forked.result.exitCode).toBe(0);
    expect(forked.log).toBe(spawned.log);
    expect(read(forked)).toEqual(spawnedFiles);
  });
});
