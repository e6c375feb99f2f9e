import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  waitUntilStackCreateComplete,
} from '@aws-sdk/client-cloudformation';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  AddTagsCommand,
  CreatePipelineCommand,
  DescribePipelineCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { type LocalAws, StateDirLockedError, startLocalAws } from '../../../local';
import { LOCK_FILE } from '../../../local/state/lock';
import { createClient } from '../../../src/aws/clients';
import { tempStateDir } from './harness';

const run = promisify(execFile);
const stateDir = tempStateDir();
const logs: string[] = [];
let aws: LocalAws | undefined;

const ROLE = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';
const definition = JSON.stringify({
  Version: '2020-12-01',
  Steps: [{ Name: 'Fail', Type: 'Fail', Arguments: { ErrorMessage: 'never run' } }],
});

async function start(): Promise<LocalAws> {
  aws = await startLocalAws({ stateDir, quiet: true });
  return aws;
}

function client<T>(Client: Parameters<typeof createClient<T>>[0]): T {
  return createClient(Client, {
    endpoint: aws!.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

/** Cuts the record file of a collection that holds `marker` to its first bytes, as a torn write would. */
function truncateRecord(collection: string, marker: string): string {
  const dir = path.join(stateDir, collection);
  const name = fs
    .readdirSync(dir)
    .find((entry) => fs.readFileSync(path.join(dir, entry), 'utf8').includes(marker));
  if (!name) throw new Error(`no record holding ${marker} in ${dir}`);
  const file = path.join(dir, name);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 100));
  return file;
}

beforeAll(() => {
  jest.spyOn(process.stderr, 'write').mockImplementation((line) => {
    logs.push(String(line));
    return true;
  });
});

afterAll(async () => {
  await aws?.stop();
  jest.restoreAllMocks();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe('names as long as AWS allows', () => {
  it('stores 1,024-byte keys, 1,011-char parameter names, 256-char pipeline names and long ARNs in AddTags', async () => {
    await start();
    const s3 = client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'long-names' }));
    const key = `${'k'.repeat(1019)}/x.cs`;
    expect(Buffer.byteLength(key)).toBe(1024);
    await s3.send(new PutObjectCommand({ Bucket: 'long-names', Key: key, Body: 'body' }));
    const object = await s3.send(new GetObjectCommand({ Bucket: 'long-names', Key: key }));
    expect(await object.Body!.transformToString()).toBe('body');

    const ssm = client(SSMClient);
    const name = `/${'p'.repeat(1010)}`;
    await ssm.send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'String' }));
    expect((await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value).toBe('v');

    const sagemaker = client(SageMakerClient);
    const pipelineName = `p${'-a'.repeat(100)}`; // 201 characters: a 500 before, leaving the pipeline made
    const { PipelineArn } = await sagemaker.send(
      new CreatePipelineCommand({
        PipelineName: pipelineName,
        PipelineDefinition: definition,
        RoleArn: ROLE,
        Tags: [{ Key: 'team', Value: 'ml' }],
      }),
    );
    const longest = 'q'.repeat(256);
    await sagemaker.send(
      new CreatePipelineCommand({ PipelineName: longest, PipelineDefinition: definition, RoleArn: ROLE }),
    );
    expect((await sagemaker.send(new DescribePipelineCommand({ PipelineName: longest }))).PipelineName).toBe(
      longest,
    );
    await sagemaker.send(new AddTagsCommand({ ResourceArn: PipelineArn, Tags: [{ Key: 'k', Value: 'v' }] }));
    const tags = await sagemaker.send(new ListTagsCommand({ ResourceArn: PipelineArn }));
    expect(tags.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'ml' },
        { Key: 'k', Value: 'v' },
      ]),
    );
  });
});

describe('one owner per state dir', () => {
  it('refuses a second server on the same state dir, naming the pid that holds it', async () => {
    await expect(startLocalAws({ stateDir, quiet: true })).rejects.toThrow(StateDirLockedError);
    await expect(startLocalAws({ stateDir, quiet: true })).rejects.toThrow(
      new RegExp(`in use by the local AWS in process ${process.pid} .*--state-dir`),
    );
    // The first server still serves (a second start used to clear s3/tmp under it).
    const listed = await client(S3Client).send(new ListObjectsV2Command({ Bucket: 'long-names' }));
    expect(listed.KeyCount).toBe(1);
  });

  it('takes over the lock of a process that no longer runs', async () => {
    await aws!.stop();
    expect(fs.existsSync(path.join(stateDir, LOCK_FILE))).toBe(false);
    const { stdout } = await run('sh', ['-c', 'echo $$']);
    fs.writeFileSync(path.join(stateDir, LOCK_FILE), JSON.stringify({ pid: Number(stdout), since: 'then' }));
    await start();
    expect(JSON.parse(fs.readFileSync(path.join(stateDir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
  });
});

describe('a corrupt record costs its resource alone', () => {
  it('starts with a torn stack, execution, pipeline and object record and serves the rest', async () => {
    const cfn = client(CloudFormationClient);
    const template = (name: string) =>
      JSON.stringify({
        Resources: {
          P: { Type: 'AWS::SSM::Parameter', Properties: { Name: name, Type: 'String', Value: 'v' } },
        },
      });
    for (const stack of ['torn-stack', 'kept-stack']) {
      await cfn.send(new CreateStackCommand({ StackName: stack, TemplateBody: template(`/${stack}`) }));
      await waitUntilStackCreateComplete(
        { client: cfn, maxWaitTime: 20, minDelay: 0.1 },
        { StackName: stack },
      );
    }
    const sagemaker = client(SageMakerClient);
    await sagemaker.send(
      new CreatePipelineCommand({
        PipelineName: 'torn-pipeline',
        PipelineDefinition: definition,
        RoleArn: ROLE,
      }),
    );
    await client(S3Client).send(new PutObjectCommand({ Bucket: 'long-names', Key: 'torn-key', Body: 'x' }));
    await aws!.stop();

    const torn = [
      truncateRecord('cloudformation/stacks', 'torn-stack'),
      truncateRecord('sagemaker/pipelines', 'torn-pipeline'),
      truncateRecord('s3/objects/long-names', 'torn-key'),
    ];
    fs.writeFileSync(
      path.join(stateDir, 'sagemaker', 'executions', `${'e'.repeat(64)}.json`),
      '{"id": "arn:aws:sag',
    );
    logs.length = 0;

    await start(); // stopped with "Unterminated string in JSON" before
    const stacks = await client(CloudFormationClient).send(new DescribeStacksCommand({}));
    expect(stacks.Stacks?.map((stack) => stack.StackName)).toEqual(['kept-stack']);
    const listed = await client(S3Client).send(new ListObjectsV2Command({ Bucket: 'long-names' }));
    expect(listed.Contents?.map((object) => object.Key)).toHaveLength(1);
    const longest = 'q'.repeat(256);
    expect(
      (await client(SageMakerClient).send(new DescribePipelineCommand({ PipelineName: longest })))
        .PipelineName,
    ).toBe(longest);
    await expect(
      client(SageMakerClient).send(new DescribePipelineCommand({ PipelineName: 'torn-pipeline' })),
    ).rejects.toThrow(/sagemaker\/pipelines "torn-pipeline" is corrupt .*moved to .*quarantine/);
    await expect(
      client(SageMakerClient).send(new DescribePipelineCommand({ PipelineName: 'torn-pipeline' })),
    ).rejects.toThrow(/does not exist/);

    const logged = logs.join('');
    for (const file of torn) expect(logged).toContain(file);
    expect(fs.readdirSync(path.join(stateDir, 'quarantine', 'sagemaker', 'executions'))).toHaveLength(1);
  });
});
