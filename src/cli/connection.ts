import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Command } from 'commander';

import { localUserCredentials } from '../../local/core/aws-env';
import type { AwsClientOptions } from '../aws/clients';
import { resolveRegion } from '../aws/clients';
import { checkWritableFolder } from '../run/config-checks';
import { EXIT } from './exit-codes';

const HEALTH_TIMEOUT_MS = 2000;

/** Where a command's AWS calls go. */
export interface ConnectionFlags {
  readonly target?: string;
  readonly region?: string;
  readonly stateDir?: string;
}

export interface Connection {
  readonly clientOptions: AwsClientOptions;
  readonly target: 'local' | 'aws';
  /** The local AWS's state directory (local target only). */
  readonly stateDir?: string;
}

/** The flags every command that talks to AWS shares. */
export function addConnectionOptions(command: Command): Command {
  return command
    .option(
      '--target <target>',
      'local (AWS_ENDPOINT_URL, else an in-process local AWS on --state-dir) or aws',
      'local',
    )
    .option('--region <region>', 'AWS region (default AWS_REGION, else us-east-1)')
    .option(
      '--state-dir <dir>',
      'local AWS state directory when none is running',
      path.join('.mlops', 'local'),
    );
}

/**
 * Runs `work` against the chosen AWS: a real account, the local AWS that AWS_ENDPOINT_URL names, or a
 * local AWS started in-process on the state directory for the duration of the command.
 */
export async function withConnection<T>(
  flags: ConnectionFlags,
  work: (connection: Connection) => Promise<T>,
  options: ConnectionOptions = {},
): Promise<T> {
  const region = resolveRegion(flags.region);
  if (flags.target === 'aws')
    return work({ target: 'aws', clientOptions: { region, userAgent: 'mlops-cli' } });
  if (flags.target !== undefined && flags.target !== 'local') {
    process.exitCode = EXIT.badInput;
    throw new Error(`--target must be "local" or "aws"; got "${flags.target}"`);
  }
  const stateDir = path.resolve(flags.stateDir ?? path.join('.mlops', 'local'));
  const external = process.env.AWS_ENDPOINT_URL;
  if (external) {
    // The running local AWS says where its state is: job logs are read from there, not from --state-dir.
    const served = await servedStateDir(external);
    return work({
      target: 'local',
      ...(served ? { stateDir: served } : {}),
      clientOptions: localClientOptions(region, external),
    });
  }
  try {
    checkWritableFolder('--state-dir', stateDir);
  } catch (error) {
    process.exitCode = EXIT.badInput;
    throw error;
  }
  if (options.readOnly && !fs.existsSync(stateDir)) {
    process.exitCode = EXIT.badInput;
    throw new Error(
      `no local AWS state at ${stateDir}; pass the --state-dir the run used, or export AWS_ENDPOINT_URL of a running local AWS`,
    );
  }
  // Loaded on demand (require: tsx runs the CLI as CommonJS), so commands against AWS never load the local AWS.
  const { startLocalAws } = require('../../local/index') as typeof import('../../local/index');
  const local = await startLocalAws({ port: 0, stateDir, region, quiet: true }).catch((error: unknown) => {
    // A state dir another local AWS owns (or cannot be used) is setup, not a failed command.
    process.exitCode = EXIT.badInput;
    throw error;
  });
  try {
    return await work({
      target: 'local',
      stateDir,
      clientOptions: localClientOptions(region, local.endpoint),
    });
  } finally {
    await local.stop();
  }
}

export interface ConnectionOptions {
  /** The command only reads: it refuses to start a local AWS on a state dir that does not exist (and so creates nothing). */
  readonly readOnly?: boolean;
}

/** The state dir a running local AWS reports on its health route, if it answers. */
export async function servedStateDir(endpoint: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${endpoint.replace(/\/+$/, '')}/_mlops/health`, {
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    const health = response.ok ? ((await response.json()) as { stateDir?: unknown }) : {};
    return typeof health.stateDir === 'string' ? health.stateDir : undefined;
  } catch {
    return undefined; // not a local AWS (or not answering): there is no state dir to read logs from
  }
}

/**
 * Client options for a local AWS: its endpoint, and when the environment has no credentials, a key id
 * naming the OS user (the local AWS records it as the IAM user who made a change, e.g. the approver).
 */
export function localClientOptions(region: string, endpoint: string | undefined): AwsClientOptions {
  return {
    region,
    userAgent: 'mlops-cli',
    ...(endpoint ? { endpoint } : {}),
    ...(process.env.AWS_ACCESS_KEY_ID ? {} : { credentials: localUserCredentials() }),
  };
}
