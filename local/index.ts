import * as path from 'node:path';

import { localAwsEnv } from './core/aws-env';
import type { FaultConfig } from './faults';
import { startServer, type LocalAwsServer } from './server';

export type { FaultConfig } from './faults';
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
}

/** The running local AWS, and the environment that points SDKs and CLIs at it. */
export interface LocalAws extends LocalAwsServer {
  /** AWS_ENDPOINT_URL, AWS_REGION, AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY. */
  readonly env: Record<string, string>;
}

export const DEFAULT_STATE_DIR = path.join('.mlops', 'local');

/** Starts the local AWS on 127.0.0.1. */
export async function startLocalAws(options: StartLocalAwsOptions = {}): Promise<LocalAws> {
  const region = options.region ?? 'us-east-1';
  const server = await startServer({
    port: options.port ?? 0,
    stateDir: path.resolve(options.stateDir ?? DEFAULT_STATE_DIR),
    region,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.quiet
      ? {}
      : {
          onInternalError: (error: unknown) =>
            process.stderr.write(`local AWS internal error: ${(error as Error)?.stack ?? String(error)}\n`),
        }),
  });
  return { ...server, env: localAwsEnv(server.endpoint, region), stop: () => server.stop() };
}
