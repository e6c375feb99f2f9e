import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

import { ForkServer } from './fork-server';
import { spawnedProcess, type OutputTarget, type PythonLaunch, type PythonProcess } from './python-process';

/**
 * Variables a fresh interpreter (or a library it loads: OpenMP, OpenBLAS, the C runtime) reads once at
 * start-up. A fork inherits the server's reading, so jobs share a server only when these are equal.
 * PYTHONUNBUFFERED, PYTHONDONTWRITEBYTECODE, PYTHONPATH and OMP_NUM_THREADS the forked child applies itself.
 */
const STARTUP_VARIABLE = /^(PYTHON|OMP_|GOMP_|KMP_|OPENBLAS_|MKL_|LD_|LC_|LANG$|MALLOC_)/;
const APPLIED_BY_CHILD = new Set([
  'PYTHONUNBUFFERED',
  'PYTHONDONTWRITEBYTECODE',
  'PYTHONPATH',
  'OMP_NUM_THREADS',
]);

interface ServerSlot {
  /** Set once the server imported the ML stack. */
  ready?: ForkServer;
  /** Set when it could not start: its jobs are spawned. */
  failed?: boolean;
  readonly starting: Promise<ForkServer | undefined>;
}

const servers = new Map<string, ServerSlot>();
let saidWhy = false;

export interface LauncherOptions {
  /** A command the fork server must run under for its children to mount (`unshare -r --` without root). */
  readonly serverPrefix?: readonly string[];
  /** Where to say, besides stderr once, that this job was spawned rather than forked. */
  readonly note?: (text: string) => void;
  /** Turns the spawned argv into the command that gives it its namespace (the fork server does that itself). */
  readonly wrapSpawn?: (argv: readonly string[]) => readonly string[];
}

/**
 * Starts a Python script warm, forked from a fork server that imported the ML stack once, or cold with a
 * plain spawn where forking is not possible (`MLOPS_FORK_SERVER=off`, not Linux, the server cannot start;
 * the reason is said once). Either way the process looks the same to the caller. A caller that can wait
 * awaits `warmForkServer` first (the sandbox does): a job spawned cold beside a server still importing the
 * ML stack competes with it for the CPU, and on a small machine both finish later than the server alone.
 */
export function launchPython(launch: PythonLaunch, options: LauncherOptions = {}): PythonProcess {
  const slot = serverSlot(launch, options);
  if (slot?.ready) return slot.ready.launch(launch);
  if (slot && !slot.failed)
    options.note?.('the fork server is still importing the ML stack: this job starts cold');
  return spawnPython(launch, options.wrapSpawn);
}

/**
 * Starts the server `launch` would use (if it can have one; an already importing one is reused) and
 * resolves once it is ready to fork: true, or false when `launch` will be spawned.
 */
export async function warmForkServer(launch: PythonLaunch, options: LauncherOptions = {}): Promise<boolean> {
  return (await serverSlot(launch, options)?.starting) !== undefined;
}

/** Ends every fork server (the local AWS shutting down). */
export function closeForkServers(): void {
  for (const slot of servers.values()) void slot.starting.then((server) => server?.close());
  servers.clear();
}

function serverSlot(launch: PythonLaunch, options: LauncherOptions): ServerSlot | undefined {
  const unavailable = whyNotForked(launch);
  if (unavailable) {
    sayOnce(unavailable, options);
    return undefined;
  }
  const prefix = options.serverPrefix ?? [];
  const startup = startupEnvironment(launch.env);
  const key = JSON.stringify([launch.python, prefix, startup]);
  const known = servers.get(key);
  if (known && (!known.ready || known.ready.alive)) return known;
  const starting = ForkServer.start({
    python: launch.python,
    prefix,
    env: { ...hostBasics(), ...startup },
  }).then(
    (server) => (slot.ready = server),
    (error: Error) => {
      slot.failed = true;
      sayOnce(`the fork server could not start (${error.message})`, options);
      return undefined;
    },
  );
  const slot: ServerSlot = { starting };
  servers.set(key, slot);
  return slot;
}

function whyNotForked(launch: PythonLaunch): string | undefined {
  if (process.env.MLOPS_FORK_SERVER === 'off') return 'MLOPS_FORK_SERVER=off is set';
  if (process.platform !== 'linux') return `forking a warm Python needs Linux (this is ${process.platform})`;
  const unknown = launch.flags.filter((flag) => flag !== '-u');
  if (unknown.length > 0) return `the fork server runs \`python [-u] script\`, not ${unknown.join(' ')}`;
  return undefined;
}

function sayOnce(reason: string, options: LauncherOptions): void {
  const text = `Python jobs start with a plain spawn, each importing its libraries again: ${reason}`;
  options.note?.(text);
  if (saidWhy) return;
  saidWhy = true;
  process.stderr.write(`local AWS: ${text}\n`);
}

function startupEnvironment(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env)
      .filter(([name]) => STARTUP_VARIABLE.test(name) && !APPLIED_BY_CHILD.has(name))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** What the server needs to find things; a job's own PATH and HOME reach it through its environment. */
function hostBasics(): Record<string, string> {
  const { PATH, HOME } = process.env;
  return { ...(PATH ? { PATH } : {}), ...(HOME ? { HOME } : {}) };
}

/** The cold path: a new interpreter for the job, in its own process group. */
function spawnPython(
  launch: PythonLaunch,
  wrap: (argv: readonly string[]) => readonly string[] = (argv) => argv,
): PythonProcess {
  const opened: number[] = [];
  const stdio = (target: OutputTarget) => {
    if (target === 'pipe') return 'pipe' as const;
    const fd = fs.openSync(target.appendTo, 'a');
    opened.push(fd);
    return fd;
  };
  try {
    const argv = wrap([launch.python, ...launch.flags, launch.script, ...launch.args]);
    const child = spawn(argv[0] ?? launch.python, argv.slice(1), {
      cwd: launch.cwd,
      env: { ...launch.env },
      stdio: [
        'ignore',
        stdio(launch.stdout),
        stdio(launch.stderr),
        ...(launch.channel ? ['pipe' as const] : []),
      ],
      detached: true,
    });
    return spawnedProcess(child, launch.channel ? 3 : undefined);
  } finally {
    opened.forEach((fd) => fs.closeSync(fd));
  }
}
