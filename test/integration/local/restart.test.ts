import * as fs from 'node:fs';
import * as path from 'node:path';

import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetParameterCommand,
  GetParameterHistoryCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';

import { createClient } from '../../../src/aws/clients';
import { type LocalAws, startLocalAws } from '../../../local';
import { tempStateDir } from './harness';

const stateDir = tempStateDir();
let aws: LocalAws | undefined;

afterAll(async () => {
  await aws?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

function client<T>(Client: Parameters<typeof createClient<T>>[0]): T {
  return createClient(Client, {
    endpoint: aws!.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

describe('restart on the same state dir', () => {
  it('keeps buckets, objects, parameters (with versions) and functions', async () => {
    aws = await startLocalAws({ port: 0, stateDir, quiet: true });
    const firstEndpoint = aws.endpoint;
    await client(S3Client).send(new CreateBucketCommand({ Bucket: 'kept-bucket' }));
    await client(S3Client).send(
      new PutObjectCommand({ Bucket: 'kept-bucket', Key: 'data/train.csv', Body: '1,2,3\n' }),
    );
    await client(SSMClient).send(new PutParameterCommand({ Name: '/kept/p', Value: 'one', Type: 'String' }));
    await client(SSMClient).send(new PutParameterCommand({ Name: '/kept/p', Value: 'two', Overwrite: true }));
    const handler = `${path.join(__dirname, 'fixtures', 'handlers')}.echo`;
    await client(LambdaClient).send(
      new CreateFunctionCommand({
        FunctionName: 'kept-fn',
        Role: 'arn:aws:iam::000000000000:role/local-lambda',
        Handler: handler,
        Code: {},
      }),
    );
    await aws.stop();

    await expect(fetch(`${firstEndpoint}/_mlops/health`)).rejects.toThrow();

    aws = await startLocalAws({ port: 0, stateDir, quiet: true });
    const object = await client(S3Client).send(
      new GetObjectCommand({ Bucket: 'kept-bucket', Key: 'data/train.csv' }),
    );
    expect(await object.Body!.transformToString()).toBe('1,2,3\n');
    const listed = await client(S3Client).send(new ListObjectsV2Command({ Bucket: 'kept-bucket' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['data/train.csv']);
    const { Parameter } = await client(SSMClient).send(new GetParameterCommand({ Name: '/kept/p' }));
    expect(Parameter).toMatchObject({ Value: 'two', Version: 2 });
    const history = await client(SSMClient).send(new GetParameterHistoryCommand({ Name: '/kept/p' }));
    expect(history.Parameters?.map((p) => p.Value)).toEqual(['one', 'two']);
    const invoked = await client(LambdaClient).send(
      new InvokeCommand({ FunctionName: 'kept-fn', Payload: '{"x":1}' }),
    );
    expect(JSON.parse(Buffer.from(invoked.Payload!).toString())).toMatchObject({ event: { x: 1 } });
  }, 20_000);
});
