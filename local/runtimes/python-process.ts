import type { ChildProcess } from 'node:child_process';
import type { Duplex, Readable } from 'node:stream';

/** Where one of the job's output descriptors goes. */
export type OutputTarget = 'pipe' | { readonly appendTo: string };

/** A Python script to run as `python [-u] script args...` would run. */
export interface PythonLaunch {
  readonly python: string;
  /** Flags before the script (only `-u` is understood by the fork server). */
  readonly flags: readonly string[];
  readonly script: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Host working directory. */
  readonly cwd: string;
  /** The job's own mount namespace: the job folder at /opt/ml, an overlay over /opt kept in `sandbox`. */
  readonly namespace?: { readonly optMl: string; readonly sandbox: string };
  readonly stdout: OutputTarget;
  readonly stderr: OutputTarget;
  /** A bidirectional socket at fd 3 (the serving worker's protocol). */
  readonly channel?: boolean;
}

export interface ProcessEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A started Python process, forked or spawned: the same surface either way. */
export interface PythonProcess {
  /** Known once started (a fork server answers it asynchronously). */
  readonly pid: Promise<number>;
  readonly stdout?: Readable;
  readonly stderr?: Readable;
  readonly channel?: Duplex;
  /** Settles once the process ended and its piped output was read (ChildProcess's 'close'). */
  readonly ended: Promise<ProcessEnd>;
  /** Signals the process (or, with `group`, its whole process group); nothing once it ended. */
  kill(signal: NodeJS.Signals, options?: { group?: boolean }): void;
}

/** A spawned ChildProcess as a PythonProcess; `ended` rejects when it could not start. */
export function spawnedProcess(child: ChildProcess, channelFd?: number): PythonProcess {
  let done = false;
  const ended = new Promise<ProcessEnd>((resolve, reject) => {
    child.on('error', (error) => {
      done = true;
      reject(error);
    });
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  const pid = new Promise<number>((resolve, reject) => {
    if (child.pid !== undefined) resolve(child.pid);
    else child.once('error', reject);
  });
  pid.catch(() => undefined);
  return {
    pid,
    ...(child.stdout ? { stdout: child.stdout } : {}),
    ...(child.stderr ? { stderr: child.stderr } : {}),
    ...(channelFd !== undefined ? { channel: child.stdio[channelFd] as Duplex } : {}),
    ended,
    kill: (signal, options) => {
      if (!done && child.pid !== undefined) signalProcess(child.pid, signal, options?.group ?? false);
    },
  };
}

export function signalProcess(pid: number, signal: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, signal);
  } catch {
    // Already gone.
  }
}
