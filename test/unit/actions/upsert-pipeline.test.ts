import {
  AddTagsCommand,
  CreatePipelineCommand,
  DescribePipelineCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
  UpdatePipelineCommand,
} from '@aws-sdk/client-sagemaker';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

import type { PipelineClients } from '../../../src/pipeline/clients';
import { deriveClientRequestToken, startExecution } from '../../../src/pipeline/start';
import { upsertPipeline, type UpsertOptions } from '../../../src/pipeline/upsert';
import { recordingReporter } from './fake-clock';

const sagemaker = mockClient(SageMakerClient);
afterEach(() => sagemaker.reset());

const clients = (): PipelineClients => ({
  sagemaker: new SageMakerClient({ region: 'us-east-1' }),
  s3: async () => new S3Client({ region: 'us-east-1' }),
});
const ROLE = 'arn:aws:iam::123456789012:role/SageMaker';
const ARN = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/p';
const definition = {
  Version: '2020-12-01',
  Steps: [{ Name: 'A', Type: 'Fail', Arguments: { ErrorMessage: 'x' } }],
};
const options = (extra: Partial<UpsertOptions> = {}): UpsertOptions => ({
  pipelineName: 'p',
  definition,
  roleArn: ROLE,
  tags: [{ Key: 'team', Value: 'ml' }],
  ...extra,
});
const notFound = Object.assign(new Error('Pipeline p does not exist'), {
  name: 'ResourceNotFound',
  $metadata: {},
});

test('creates a missing pipeline with its tags', async () => {
  sagemaker.on(DescribePipelineCommand).rejects(notFound);
  sagemaker.on(CreatePipelineCommand).resolves({ PipelineArn: ARN });
  const result = await upsertPipeline(clients(), options({ maxParallelSteps: 2 }), recordingReporter());
  expect(result).toEqual({ pipelineArn: ARN, created: true, changed: true, differences: ['created'] });
  expect(sagemaker.commandCalls(CreatePipelineCommand)[0]?.args[0].input).toMatchObject({
    PipelineName: 'p',
    RoleArn: ROLE,
    PipelineDefinition: JSON.stringify(definition),
    ParallelismConfiguration: { MaxParallelExecutionSteps: 2 },
    Tags: [{ Key: 'team', Value: 'ml' }],
  });
});

test('leaves an identical pipeline alone, whatever the key order of the deployed definition', async () => {
  const reordered = {
    Steps: [{ Arguments: { ErrorMessage: 'x' }, Type: 'Fail', Name: 'A' }],
    Version: '2020-12-01',
  };
  sagemaker
    .on(DescribePipelineCommand)
    .resolves({ PipelineArn: ARN, PipelineDefinition: JSON.stringify(reordered), RoleArn: ROLE });
  const result = await upsertPipeline(clients(), options(), recordingReporter());
  expect(result).toMatchObject({ changed: false, differences: [] });
  expect(sagemaker.commandCalls(UpdatePipelineCommand)).toHaveLength(0);
});

test('updates when definition, role or description differ, keeping the old definition for the diff', async () => {
  const old = { ...definition, Steps: [{ Name: 'A', Type: 'Fail', Arguments: { ErrorMessage: 'y' } }] };
  sagemaker.on(DescribePipelineCommand).resolves({
    PipelineArn: ARN,
    PipelineDefinition: JSON.stringify(old),
    RoleArn: 'arn:aws:iam::123456789012:role/Old',
    PipelineDescription: 'old',
  });
  sagemaker.on(UpdatePipelineCommand).resolves({ PipelineArn: ARN });
  sagemaker.on(AddTagsCommand).resolves({});
  const result = await upsertPipeline(clients(), options({ description: 'new' }), recordingReporter());
  expect(result).toMatchObject({
    changed: true,
    created: false,
    differences: ['definition', 'role', 'description'],
    previousDefinition: old,
  });
  expect(sagemaker.commandCalls(UpdatePipelineCommand)[0]?.args[0].input).toMatchObject({
    RoleArn: ROLE,
    PipelineDescription: 'new',
  });
  expect(sagemaker.commandCalls(AddTagsCommand)[0]?.args[0].input).toEqual({
    ResourceArn: ARN,
    Tags: [{ Key: 'team', Value: 'ml' }],
  });
});

test('starts an execution with string parameter values, the token, and tags it afterwards', async () => {
  sagemaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: `${ARN}/execution/e1` });
  sagemaker
    .on(AddTagsCommand)
    .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: {} }));
  const reporter = recordingReporter();
  const result = await startExecution(
    clients(),
    {
      pipelineName: 'p',
      parameters: { RmseThreshold: 2.5, Flag: true, Name: 'x' },
      clientRequestToken: 't'.repeat(32),
      displayName: 'repo-run-1-1',
      tags: [{ Key: 'github:sha', Value: 'abc' }],
    },
    reporter,
  );
  expect(result.executionArn).toBe(`${ARN}/execution/e1`);
  expect(sagemaker.commandCalls(StartPipelineExecutionCommand)[0]?.args[0].input).toMatchObject({
    ClientRequestToken: 't'.repeat(32),
    PipelineExecutionDisplayName: 'repo-run-1-1',
    PipelineParameters: [
      { Name: 'RmseThreshold', Value: '2.5' },
      { Name: 'Flag', Value: 'true' },
      { Name: 'Name', Value: 'x' },
    ],
  });
  expect(reporter.warnings[0]).toContain('Could not tag execution');
});

test('the default token is stable within a run attempt and differs across attempts, jobs and parameters', () => {
  const context = {
    repository: 'o/r',
    runId: 99,
    runAttempt: 1,
    job: 'train',
    apiUrl: 'https://api.github.com',
  };
  const token = deriveClientRequestToken(context, { pipelineName: 'p', parameters: { A: 1 } }) ?? '';
  expect(token).toMatch(/^gh-99-1-[0-9a-f]{40}$/);
  expect(token.length).toBeGreaterThanOrEqual(32);
  expect(deriveClientRequestToken(context, { pipelineName: 'p', parameters: { A: 1 } })).toBe(token);
  expect(
    deriveClientRequestToken({ ...context, runAttempt: 2 }, { pipelineName: 'p', parameters: { A: 1 } }),
  ).not.toBe(token);
  expect(
    deriveClientRequestToken({ ...context, job: 'other' }, { pipelineName: 'p', parameters: { A: 1 } }),
  ).not.toBe(token);
  expect(deriveClientRequestToken(context, { pipelineName: 'p', parameters: { A: 2 } })).not.toBe(token);
  expect(deriveClientRequestToken({ apiUrl: '' }, { pipelineName: 'p', parameters: {} })).toBeUndefined();
});
