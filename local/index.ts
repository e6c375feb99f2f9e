import * as path from 'node:path';

import { localAwsEnv } from './core/aws-env';
import type { ServiceDeps } from './core/deps';
import type { FaultConfig, FaultInjector } from './faults';
import { startServer } from './server';

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

export interface LocalAws {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** AWS_ENDPOINT_URL, AWS_REGION, AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY. */
  readonly env: Record<string, string>;
  readonly stateDir: string;
  readonly region: string;
  /** In-process access to the services (S3 objects, SSM parameters, Lambda, any provider's operations). */
  readonly deps: ServiceDeps;
  /** Fault injection settings, changeable while running (also via `POST /_mlops/faults`). */
  readonly faults: FaultInjector;
  readonly services: readonly string[];
  /** Closes the server and stops every provider (child processes included). */
  stop(): Promise<void>;
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
