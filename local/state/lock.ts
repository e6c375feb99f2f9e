import * as fs from 'node:fs';
import * as path from 'node:path';

import { writeFileAtomic } from './store';

/** The lock file's name inside the state dir. */
export const LOCK_FILE = 'owner.lock';

/** Who holds a state dir: enough to tell a live owner from a dead one whose pid was reused. */
interface LockOwner {
  readonly pid: number;
  /** The process's start time from /proc (Linux), so a recycled pid is not taken for the owner. */
  readonly startTime?: string;
  readonly since: string;
  /** Where the owner listens, once it does: the message to a second process says how to use it. */
  readonly endpoint?: string;
}

/** A held lock on a state dir; release() removes it if it is still ours. */
export interface StateLock {
  readonly file: string;
  /** Records where the owner listens. */
  setEndpoint(endpoint: string): void;
  release(): void;
}

/** Thrown when another live process owns the state dir. */
export class StateDirLockedError extends Error {
  constructor(
    readonly stateDir: string,
    readonly ownerPid: number,
    endpoint?: string,
  ) {
    const use = endpoint
      ? `use it with export AWS_ENDPOINT_URL=${endpoint}`
      : 'use it through AWS_ENDPOINT_URL once it listens';
    super(
      `state dir ${stateDir} is in use by the local AWS in process ${ownerPid} ` +
        `(lock ${path.join(stateDir, LOCK_FILE)}); ${use}, stop that process, or pass another --state-dir`,
    );
    this.name = 'StateDirLockedError';
  }
}

/**
 * Makes this process the only owner of a state dir: the lock file is created with O_EXCL and holds the
 * pid. A lock left by a process that no longer runs (kill -9, power loss) is taken over.
 */
export function acquireStateLock(stateDir: string): StateLock {
  const file = path.join(stateDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, ...startTimeOf(process.pid), since: new Date().toISOString() };
  // Two attempts: the second follows removing a dead owner's lock; losing that race to a third process is
  // reported like any other live owner.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(file, me))
      return {
        file,
        setEndpoint: (endpoint) => writeFileAtomic(file, JSON.stringify({ ...me, endpoint })),
        release: () => releaseIfOurs(file, me),
      };
    const owner = readOwner(file);
    if (owner && isAlive(owner)) throw new StateDirLockedError(stateDir, owner.pid, owner.endpoint);
    fs.rmSync(file, { force: true });
  }
  throw new StateDirLockedError(stateDir, readOwner(file)?.pid ?? -1);
}

function tryCreate(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, JSON.stringify(owner));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' ? (owner as LockOwner) : undefined;
  } catch {
    // Missing, or torn by a crash between create and write: nobody can be holding it.
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user — still alive.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTimeOf(owner.pid).startTime;
  return owner.startTime === undefined || now === undefined || now === owner.startTime;
}

function releaseIfOurs(file: string, me: LockOwner): void {
  const owner = readOwner(file);
  if (owner?.pid === me.pid && owner.since === me.since) fs.rmSync(file, { force: true });
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); absent off Linux. */
function startTimeOf(pid: number): { startTime?: string } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTime = fields[19];
    return startTime === undefined ? {} : { startTime };
  } catch {
    return {};
  }
}
