import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';

import { SageMakerClient } from '@aws-sdk/client-sagemaker';

import { findPython } from '../../local/runtimes/python';
import { createClient } from '../aws/clients';
import type { RunConfig } from './config';

/** A missing prerequisite: one line saying what and how to fix it. */
export class PrerequisiteError extends Error {
  override readonly name = 'PrerequisiteError';
}

/**
 * Checks everything the run needs before it touches anything, so a bad setup fails at once with one
 * clear line and nothing half-written.
 */
export async function checkPrerequisites(
  config: RunConfig,
  options: { startsLocalAws: boolean },
): Promise<void> {
  checkReadable(config.dataFile);
  if (config.target === 'aws') return checkAwsCredentials(config.region);
  if (!options.startsLocalAws) return;
  try {
    findPython();
  } catch (error) {
    throw new PrerequisiteError((error as Error).message);
  }
  await checkPortFree(config.port);
}

function checkReadable(file: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not readable';
    throw new PrerequisiteError(`data file ${file} ${reason}; pass --data <csv> with the abalone data`);
  }
}

export async function checkPortFree(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new PrerequisiteError(
          error.code === 'EADDRINUSE'
            ? `port ${port} is in use; pass --port 0 for any free port, or another port`
            : `cannot listen on 127.0.0.1:${port}: ${error.message}`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

async function checkAwsCredentials(region: string): Promise<void> {
  const client = createClient(SageMakerClient, { region });
  try {
    await client.config.credentials();
  } catch {
    throw new PrerequisiteError(
      'no AWS credentials found for --target aws; configure them (aws configure, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)',
    );
  } finally {
    client.destroy();
  }
}
