import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

import { createClient } from '../../../src/aws/clients';
import { LOCAL_CREDENTIALS } from '../../../local';

/** Clients on the test's local AWS, made by the project's one client factory. */
export function localClients(endpoint: string, region = 'us-east-1') {
  const options = { endpoint, region, credentials: { ...LOCAL_CREDENTIALS } };
  return {
    s3: createClient(S3Client, options),
    runtime: createClient(SageMakerRuntimeClient, options),
    options,
  };
}

/** The features of the first held-out row (the CSV has the label first and no header). */
export async function firstFeatureRow(s3: S3Client, uri: string): Promise<string> {
  const [, bucket = '', key = ''] = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri) ?? [];
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const [firstLine = ''] = ((await object.Body?.transformToString('utf8')) ?? '').split('\n');
  return firstLine.split(',').slice(1).join(',');
}

/** Invokes an endpoint with one CSV row and returns the prediction. */
export async function predict(
  runtime: SageMakerRuntimeClient,
  endpointName: string,
  row: string,
): Promise<number> {
  const response = await runtime.send(
    new InvokeEndpointCommand({
      EndpointName: endpointName,
      ContentType: 'text/csv',
      Body: Buffer.from(row),
    }),
  );
  return Number(
    Buffer.from(response.Body ?? new Uint8Array())
      .toString('utf8')
      .trim(),
  );
}
