import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CONTAINER_OPT_ML, type JobDirectory } from './job-directory';
import type { JobLog } from './job-log';

/**
 * Runs inside a private mount namespace: an overlay over /opt (the host's entries stay visible; anything the
 * job writes there lands in the job folder) with the job folder bind-mounted at /opt/ml, then execs the job's
 * command. Nothing mounted here is seen outside.
 */
const MOUNT_SCRIPT = `set -e
job=$1; upper=$2; work=$3; shift 3
mount -t overlay overlay -o lowerdir=/opt,upperdir="$upper",workdir="$work" /opt
mkdir -p /opt/ml
mount --bind "$job" /opt/ml
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
      ...overlayFolders(sandbox),
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

/** Runs a job's process with its job folder at /opt/ml; stdout and stderr go to the job log. */
export function runSandboxed(request: SandboxRequest): Promise<SandboxResult> {
  const isolation = detectIsolation(request.directory.root);
  const argv = commandLine(request, isolation);
  // The host folder is the same directory the namespace shows at /opt/ml.
  const cwd = request.directory.hostPath(request.workingDirectory ?? CONTAINER_OPT_ML);
  return new Promise((resolve, reject) => {
    if (request.signal.aborted) return resolve({ exitCode: null, signal: null, stopped: true, ms: 0 });
    const started = Date.now();
    const child = spawn(argv[0] ?? '', argv.slice(1), {
      cwd,
      env: { ...request.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stopped = false;
    let killTimer: NodeJS.Timeout | undefined;
    // SIGTERM to the whole process group (the job's children too), SIGKILL for whatever ignores it.
    const stop = () => {
      stopped = true;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    };
    request.signal.addEventListener('abort', stop, { once: true });
    child.stdout.on('data', (chunk: Buffer) => request.log.stdout(chunk));
    child.stderr.on('data', (chunk: Buffer) => request.log.stderrChunk(chunk));
    child.on('error', (error) => {
      request.signal.removeEventListener('abort', stop);
      reject(new Error(`could not start ${argv[0]}: ${error.message}`));
    });
    child.on('close', (exitCode, signal) => {
      request.signal.removeEventListener('abort', stop);
      // Once the group is gone its id may be reused: no late SIGKILL.
      clearTimeout(killTimer);
      resolve({ exitCode, signal, stopped, ms: Date.now() - started });
    });
  });
}

function commandLine(request: SandboxRequest, isolation: Isolation): string[] {
  const { directory, log } = request;
  if (isolation.kind === 'namespace') {
    const overlay = overlayFolders(path.join(directory.root, SANDBOX_FOLDER));
    return [
      ...isolation.unshare,
      ...isolation.deathSignal,
      'sh',
      '-c',
      MOUNT_SCRIPT,
      'sh',
      directory.optMl,
      ...overlay,
      ...request.command,
    ];
  }
  log.note(
    `mount namespaces are unavailable (${isolation.reason}); /opt/ml paths in the job's arguments are rewritten to ${directory.optMl}, so scripts that hard-code /opt/ml paths will not find their files`,
  );
  return request.command.map((arg) => rewriteOptMl(arg, directory.optMl));
}

/** The overlay's upper and work folders (created empty). */
function overlayFolders(root: string): [string, string] {
  const upper = path.join(root, 'upper');
  const work = path.join(root, 'work');
  for (const folder of [upper, work]) fs.mkdirSync(folder, { recursive: true });
  return [upper, work];
}

/** `/opt/ml/x` → `<job>/opt-ml/x` wherever it appears in an argument (including `--input=/opt/ml/...`). */
export function rewriteOptMl(arg: string, optMl: string): string {
  return arg.replace(/(^|[=:,\s])\/opt\/ml(?=\/|$|[\s,:])/g, (_match, lead: string) => `${lead}${optMl}`);
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
