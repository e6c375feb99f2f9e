import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SSMClient } from '@aws-sdk/client-ssm';

import { startLocalAws, type LocalAws } from '../../../local';
import { createClient } from '../../../src/aws/clients';

/** A local AWS in a temporary state directory and SDK clients aimed at it. */
export interface TestAws {
  readonly aws: LocalAws;
  readonly dir: string;
  readonly stateDir: string;
  readonly cfn: CloudFormationClient;
  readonly s3: S3Client;
  readonly sagemaker: SageMakerClient;
  readonly runtime: SageMakerRuntimeClient;
  readonly ssm: SSMClient;
  /** Stops the local AWS and (unless `keepState`) removes the temporary directory. */
  stop(options?: { keepState?: boolean }): Promise<void>;
}

export async function startTestAws(options: { dir?: string } = {}): Promise<TestAws> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-d-'));
  const stateDir = path.join(dir, 'state');
  const aws = await startLocalAws({ port: 0, stateDir, quiet: true });
  const clientOptions = {
    endpoint: aws.endpoint,
    region: aws.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  return {
    aws,
    dir,
    stateDir,
    cfn: createClient(CloudFormationClient, clientOptions),
    s3: createClient(S3Client, clientOptions),
    sagemaker: createClient(SageMakerClient, clientOptions),
    runtime: createClient(SageMakerRuntimeClient, clientOptions),
    ssm: createClient(SSMClient, clientOptions),
    async stop(stopOptions = {}) {
      await aws.stop();
      if (!stopOptions.keepState) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `read` every 50 ms until `done` holds for its result; fails after `timeoutMs` with the last result. */
export async function poll<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const XGBOOST_IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
