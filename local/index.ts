import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { localAwsEnv } from './core/aws-env';
import type { FaultConfig } from './faults';
import { findPython, pythonEnvironment, PythonNotFoundError } from './runtimes/python';
import { warmJobForkServer } from './runtimes/sandbox';
import { startServer, type LocalAwsServer } from './server';
import { acquireStateLock } from './state/lock';

export { type FaultConfig, parseFaultConfig } from './faults';
export { StateDirLockedError } from './state/lock';
export { LOCAL_CREDENTIALS, localAwsEnv } from './core/aws-env';

export interface StartLocalAwsOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Where state lives; default `.mlops/local` under the current directory. */
  readonly stateDir?: string;
  /** Default us-east-1. */
  readonly region?: string;
  readonly faults?: FaultConfig;
  /** No output at all (by default internal failures are written to stderr). */
  readonly quiet?: boolean;
  /** Receives one line per request. */
  readonly log?: (line: string) => void;
  /**
   * Hosts (`name:port` or `name`) and browser origins (`http://name:port`) served besides local clients;
   * by default only SDKs and CLIs on this machine (no Origin, Host 127.0.0.1/localhost/[::1]) are.
   */
  readonly allowClients?: readonly string[];
}

/** The running local AWS, and the environment that points SDKs and CLIs at it. */
export interface LocalAws extends LocalAwsServer {
  /** AWS_ENDPOINT_URL, AWS_REGION, AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY. */
  readonly env: Record<string, string>;
}

/**
 * Starts, in the background, the fork server the local AWS's Python jobs fork from, rather than with the
 * first job: a caller about to run a pipeline (`mlops run`) lets the ML stack import while it does the rest.
 * Without the ML libraries there is nothing to warm: the first job reports what is missing.
 */
export function warmPythonJobs(): void {
  let python: string;
  try {
    python = findPython();
  } catch (error) {
    if (error instanceof PythonNotFoundError) return;
    throw error;
  }
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-warm-'));
  try {
    warmJobForkServer({ python, env: pythonEnvironment(process.env), probeDir });
  } finally {
    fs.rmSync(probeDir, { recursive: true, force: true });
  }
}

export const DEFAULT_STATE_DIR = path.join('.mlops', 'local');

/** Starts the local AWS on 127.0.0.1. */
export async function startLocalAws(options: StartLocalAwsOptions = {}): Promise<LocalAws> {
  const region = options.region ?? 'us-east-1';
  const stateDir = path.resolve(options.stateDir ?? DEFAULT_STATE_DIR);
  fs.mkdirSync(stateDir, { recursive: true });
  // Taken before any provider touches the state (the object store clears s3/tmp when it opens).
  const lock = acquireStateLock(stateDir);
  const server = await startServer({
    port: options.port ?? 0,
    stateDir,
    region,
    ...(options.allowClients ? { allowClients: options.allowClients } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.quiet
      ? {}
      : {
          onInternalError: (error: unknown) =>
            process.stderr.write(`local AWS internal error: ${(error as Error)?.stack ?? String(error)}\n`),
        }),
  }).catch((error: unknown) => {
    lock.release();
    throw error;
  });
  lock.setEndpoint(server.endpoint);
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= server.stop().finally(() => lock.release()));
  return { ...server, env: localAwsEnv(server.endpoint, region), stop };
}
