import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { S3Client } from '@aws-sdk/client-s3';

import { createClient, type AwsClientOptions } from '../aws/clients';

/** The clients pipeline operations use. S3 is created on first use: most runs never touch it, and loading it costs start time. */
export interface PipelineClients {
  readonly sagemaker: SageMakerClient;
  readonly s3: () => Promise<S3Client>;
}

export function createPipelineClients(options: AwsClientOptions = {}): PipelineClients {
  let s3: Promise<S3Client> | undefined;
  return {
    sagemaker: createClient(SageMakerClient, options),
    s3: () => {
      s3 ??= import('@aws-sdk/client-s3').then(({ S3Client: Client }) => createClient(Client, options));
      return s3;
    },
  };
}
