import * as path from 'node:path';

import type { Command } from 'commander';

import { LOCAL_CREDENTIALS } from '../../local/core/aws-env';
import type { AwsClientOptions } from '../aws/clients';
import { resolveRegion } from '../aws/clients';

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
): Promise<T> {
  const region = resolveRegion(flags.region);
  if (flags.target === 'aws')
    return work({ target: 'aws', clientOptions: { region, userAgent: 'mlops-cli' } });
  if (flags.target !== undefined && flags.target !== 'local')
    throw new Error(`--target must be "local" or "aws"; got "${flags.target}"`);
  const stateDir = path.resolve(flags.stateDir ?? path.join('.mlops', 'local'));
  const external = process.env.AWS_ENDPOINT_URL;
  if (external)
    return work({ target: 'local', stateDir, clientOptions: localClientOptions(region, external) });
  // Loaded on demand (require: tsx runs the CLI as CommonJS), so commands against AWS never load the local AWS.
  const { startLocalAws } = require('../../local/index') as typeof import('../../local/index');
  const local = await startLocalAws({ port: 0, stateDir, region, quiet: true });
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

/** Client options for a local AWS: its endpoint, and dummy credentials when the environment has none. */
export function localClientOptions(region: string, endpoint: string | undefined): AwsClientOptions {
  return {
    region,
    userAgent: 'mlops-cli',
    ...(endpoint ? { endpoint } : {}),
    ...(process.env.AWS_ACCESS_KEY_ID ? {} : { credentials: { ...LOCAL_CREDENTIALS } }),
  };
}
