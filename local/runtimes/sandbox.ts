import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CONTAINER_OPT_ML, type JobDirectory } from './job-directory';
import type { JobLog } from './job-log';
import { launchPython, warmForkServer, type LauncherOptions } from './python-launcher';
import { spawnedProcess, type PythonLaunch, type PythonProcess } from './python-process';

/**
 * Runs inside a private mount namespace: an overlay over /opt (the host's entries stay visible; anything the
 * job writes there lands in the job folder) with the job folder bind-mounted at /opt/ml, then execs the job's
 * command. Nothing mounted here is seen outside.
 */
const MOUNT_SCRIPT = `set -e
job=$1; sandbox=$2; shift 2
# upper/work relative to the sandbox folder: its path (a comma, say) never enters the option string.
(cd "$sandbox" && mount -t overlay overlay -o lowerdir=/opt,upperdir=upper,workdir=work /opt)
mkdir -p /opt/ml
mount --bind "$job" /opt/ml
# The job's environment is the one asked for, without the shell's own PWD.
unset PWD
exec "$@"`;

/** Folder of the job holding the overlay's upper and work directories. */
export const SANDBOX_FOLDER = 'sandbox';

/** How jobs see `/opt/ml`: a private mount namespace, or (where that is unavailable) rewritten arguments. */
export type Isolation =
  | {
      readonly kind: 'namespace';
      readonly unshare: readonly string[];
      readonly deathSignal: readonly string[];
    }
  | { readonly kind: 'rewrite'; readonly reason: string };

let detected: Isolation | undefined;

/**
 * Probes once whether a mount namespace works here (`unshare -m` as root, `unshare -rm` otherwise).
 * `MLOPS_SANDBOX=rewrite` forces the fallback.
 */
export function detectIsolation(probeDir: string, env: NodeJS.ProcessEnv = process.env): Isolation {
  if (env.MLOPS_SANDBOX === 'rewrite') return { kind: 'rewrite', reason: 'MLOPS_SANDBOX=rewrite is set' };
  if (detected) return detected;
  if (process.platform !== 'linux') {
    detected = { kind: 'rewrite', reason: `mount namespaces need Linux (this is ${process.platform})` };
    return detected;
  }
  const unshare = process.getuid?.() === 0 ? ['unshare', '-m', '--'] : ['unshare', '-r', '-m', '--'];
  const job = path.join(probeDir, 'probe-job');
  fs.mkdirSync(job, { recursive: true });
  const sandbox = path.join(probeDir, 'probe-sandbox');
  const probe = spawnSync(
    unshare[0] ?? 'unshare',
    [
      ...unshare.slice(1),
      'sh',
      '-c',
      MOUNT_SCRIPT,
      'sh',
      job,
      overlayFolder(sandbox),
      'test',
      '-d',
      `${CONTAINER_OPT_ML}/.`,
    ],
    { encoding: 'utf8' },
  );
  fs.rmSync(job, { recursive: true, force: true });
  fs.rmSync(sandbox, { recursive: true, force: true });
  const deathSignal =
    spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0
      ? ['setpriv', '--pdeathsig', 'KILL', '--']
      : [];
  detected =
    probe.status === 0
      ? { kind: 'namespace', unshare, deathSignal }
      : {
          kind: 'rewrite',
          reason: `${unshare.slice(0, -1).join(' ')} failed: ${(probe.stderr || probe.error?.message || '').trim()}`,
        };
  return detected;
}

export interface SandboxRequest {
  /** argv as the container would run it (paths under /opt/ml). */
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly directory: JobDirectory;
  readonly log: JobLog;
  readonly signal: AbortSignal;
  /** Working directory inside the job (container path); defaults to /opt/ml. */
  readonly workingDirectory?: string;
}

export interface SandboxResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the run was ended by the abort signal (StopPipelineExecution, shutdown). */
  readonly stopped: boolean;
  /** Wall time of the process. */
  readonly ms: number;
}

const KILL_GRACE_MS = 2000;
const NOTABLE_WAIT_MS = 100;

/**
 * Runs a job's process with its job folder at /opt/ml; stdout and stderr go to the job log. A Python script
 * is forked warm from the fork server (see python-launcher.ts), anything else is spawned.
 */
export async function runSandboxed(request: SandboxRequest): Promise<SandboxResult> {
  if (request.signal.aborted) return { exitCode: null, signal: null, stopped: true, ms: 0 };
  const started = Date.now();
  const plan = planJob(request, detectIsolation(request.directory.root));
  if (plan.python) {
    await serverReady(plan.python.launch, plan.python.options, request);
    if (request.signal.aborted)
      return { exitCode: null, signal: null, stopped: true, ms: Date.now() - started };
  }
  const launched = Date.now();
  const job = plan.python ? launchPython(plan.python.launch, plan.python.options) : plan.spawn();
  let stopped = false;
  let killTimer: NodeJS.Timeout | undefined;
  // SIGTERM to the whole process group (the job's children too), SIGKILL for whatever ignores it.
  const stop = () => {
    stopped = true;
    job.kill('SIGTERM', { group: true });
    killTimer = setTimeout(() => job.kill('SIGKILL', { group: true }), KILL_GRACE_MS).unref();
  };
  request.signal.addEventListener('abort', stop, { once: true });
  if (request.signal.aborted) stop();
  job.stdout?.on('data', (chunk: Buffer) => request.log.stdout(chunk));
  job.stderr?.on('data', (chunk: Buffer) => request.log.stderrChunk(chunk));
  try {
    const end = await job.ended.catch((error: Error) => {
      throw new Error(`could not start ${request.command[0]}: ${error.message}`);
    });
    return { exitCode: end.code, signal: end.signal, stopped, ms: Date.now() - launched };
  } finally {
    request.signal.removeEventListener('abort', stop);
    // Once the group is gone its id may be reused: no late SIGKILL.
    clearTimeout(killTimer);
  }
}

/** Resolves when `work` settles or `signal` aborts, whichever comes first. */
function untilAborted(work: Promise<unknown>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void work.then(done, done);
  });
}

/** How a job starts: a Python script through the launcher (forked warm where possible), anything else spawned. */
interface JobPlan {
  readonly python?: { readonly launch: PythonLaunch; readonly options: LauncherOptions };
  readonly spawn: () => PythonProcess;
}

function planJob(request: SandboxRequest, isolation: Isolation): JobPlan {
  const { directory, log } = request;
  const namespace = isolation.kind === 'namespace';
  if (!namespace) {
    log.note(
      `mount namespaces are unavailable (${isolation.reason}); /opt/ml paths in the job's arguments are rewritten to ${directory.optMl}, so scripts that hard-code /opt/ml paths will not find their files`,
    );
  }
  const command = namespace
    ? request.command
    : request.command.map((arg) => rewriteOptMl(arg, directory.optMl));
  // The host folder is the same directory the namespace shows at /opt/ml.
  const cwd = directory.hostPath(request.workingDirectory ?? CONTAINER_OPT_ML);
  const sandbox = overlayFolder(path.join(directory.root, SANDBOX_FOLDER));
  const wrap = (argv: readonly string[]) =>
    namespace
      ? [
          ...isolation.unshare,
          ...isolation.deathSignal,
          'sh',
          '-c',
          MOUNT_SCRIPT,
          'sh',
          directory.optMl,
          sandbox,
          ...argv,
        ]
      : [...argv];
  const spawnJob = () => {
    const argv = wrap(command);
    const child = spawn(argv[0] ?? '', argv.slice(1), {
      cwd,
      env: { ...request.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    return spawnedProcess(child);
  };
  const python = pythonScript(command);
  if (!python) return { spawn: spawnJob };
  return {
    python: {
      launch: {
        ...python,
        env: request.env,
        cwd,
        ...(namespace ? { namespace: { optMl: directory.optMl, sandbox } } : {}),
        stdout: 'pipe',
        stderr: 'pipe',
      },
      options: {
        ...forkServerOptions(isolation),
        note: (text) => log.note(text),
        wrapSpawn: wrap,
      },
    },
    spawn: spawnJob,
  };
}

/** Without root, the fork server runs inside `unshare -r` so that its children may mount. */
function forkServerOptions(isolation: Isolation): LauncherOptions {
  return isolation.kind === 'namespace' && isolation.unshare.includes('-r')
    ? { serverPrefix: isolation.unshare }
    : {};
}

/**
 * Waits (until `signal` aborts) for the fork server `launch` would fork from, starting it if need be, and says
 * in the job log when that took a while: the job's time includes it.
 */
async function serverReady(
  launch: PythonLaunch,
  options: LauncherOptions,
  context: { readonly signal: AbortSignal; readonly log: JobLog },
): Promise<void> {
  const started = Date.now();
  await untilAborted(warmForkServer(launch, options), context.signal);
  const waited = Date.now() - started;
  if (waited >= NOTABLE_WAIT_MS && !context.signal.aborted)
    context.log.note(`waited ${waited} ms for the fork server to finish importing the ML stack`);
}

/** Python jobs with this interpreter and (host) environment: what their fork server is keyed by. */
export interface JobPython {
  readonly python: string;
  readonly env: Readonly<Record<string, string>>;
  /** A folder in which to probe for mount namespaces. */
  readonly probeDir: string;
}

function jobServerLaunch(job: JobPython): { launch: PythonLaunch; options: LauncherOptions } {
  const launch: PythonLaunch = {
    python: job.python,
    flags: [],
    script: '',
    args: [],
    env: job.env,
    cwd: job.probeDir,
    stdout: 'pipe',
    stderr: 'pipe',
  };
  return { launch, options: forkServerOptions(detectIsolation(job.probeDir)) };
}

/**
 * Starts, in the background, the fork server that Python jobs with this interpreter and environment will
 * fork from (as `launchPython` would for the first one), so that the first job finds the ML stack imported.
 */
export function warmJobForkServer(job: JobPython): void {
  const { launch, options } = jobServerLaunch(job);
  void warmForkServer(launch, options);
}

/**
 * Resolves once the jobs' fork server is ready (or `signal` aborts): a job's MaxRuntime clock starts after
 * it, since the import is the local AWS's start-up, not the job's work.
 */
export function jobForkServerReady(
  job: JobPython,
  context: { readonly signal: AbortSignal; readonly log: JobLog },
): Promise<void> {
  const { launch, options } = jobServerLaunch(job);
  return serverReady(launch, options, context);
}

/** `python[3[.x]] [flags] script args...` split up; undefined for any other command. */
function pythonScript(command: readonly string[]) {
  const [python, ...rest] = command;
  if (!python || !/^python[\d.]*$/.test(path.basename(python))) return undefined;
  const scriptAt = rest.findIndex((arg) => !arg.startsWith('-'));
  const script = rest[scriptAt];
  if (scriptAt < 0 || script === undefined) return undefined;
  return { python, flags: rest.slice(0, scriptAt), script, args: rest.slice(scriptAt + 1) };
}

/** The overlay's folder holding its upper and work folders (created empty). */
function overlayFolder(root: string): string {
  for (const folder of ['upper', 'work']) fs.mkdirSync(path.join(root, folder), { recursive: true });
  return root;
}

/** `/opt/ml/x` → `<job>/opt-ml/x` wherever it appears in an argument (including `--input=/opt/ml/...`). */
export function rewriteOptMl(arg: string, optMl: string): string {
  return arg.replace(/(^|[=:,\s])\/opt\/ml(?=\/|$|[\s,:])/g, (_match, lead: string) => `${lead}${optMl}`);
}
