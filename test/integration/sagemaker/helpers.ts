import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreatePipelineCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
  type DescribePipelineExecutionCommandOutput,
  type PipelineExecutionStep,
} from '@aws-sdk/client-sagemaker';
import { SSMClient } from '@aws-sdk/client-ssm';

import { startLocalAws, LOCAL_CREDENTIALS, type LocalAws } from '../../../local';
import { abaloneDefaults, synthesizeAbalone } from '../../../pipeline/synth';
import { createClient } from '../../../src/aws/clients';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const ROLE_ARN = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';
export const SKLEARN_IMAGE =
  '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';

/** A local AWS on a fresh temporary state dir, with SDK clients pointed at it. */
export interface LocalSageMaker {
  readonly aws: LocalAws;
  readonly stateDir: string;
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
  readonly ssm: SSMClient;
}

export async function startLocalSageMaker(
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-sagemaker-')),
): Promise<LocalSageMaker> {
  const aws = await startLocalAws({ stateDir, quiet: true });
  const options = {
    endpoint: aws.endpoint,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  };
  return {
    aws,
    stateDir,
    sagemaker: createClient(SageMakerClient, options),
    s3: createClient(S3Client, options),
    ssm: createClient(SSMClient, options),
  };
}

export async function stopLocalSageMaker(
  local: LocalSageMaker | undefined,
  options: { keepState?: boolean } = {},
): Promise<void> {
  if (!local) return;
  for (const client of [local.sagemaker, local.s3, local.ssm]) client.destroy();
  await local.aws.stop();
  if (!options.keepState) fs.rmSync(local.stateDir, { recursive: true, force: true });
}

export async function putObject(local: LocalSageMaker, uri: string, body: string | Buffer): Promise<void> {
  const { bucket, key } = splitS3Uri(uri);
  await local.s3.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  await local.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

export async function getObjectText(local: LocalSageMaker, uri: string): Promise<string> {
  const { bucket, key } = splitS3Uri(uri);
  const response = await local.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return response.Body!.transformToString();
}

export function splitS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!match) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: match[1]!, key: match[2]! };
}

/** The abalone definition from the project's synth, with its assets (scripts, data) uploaded. */
export async function createAbalonePipeline(
  local: LocalSageMaker,
  name: string,
): Promise<{ definition: unknown; defaults: ReturnType<typeof abaloneDefaults> }> {
  const defaults = abaloneDefaults(local.aws.region);
  const { definition, manifest } = synthesizeAbalone({ ...defaults, root: REPO_ROOT });
  for (const asset of manifest.assets) {
    await putObject(local, asset.s3Uri, fs.readFileSync(path.resolve(REPO_ROOT, asset.path)));
  }
  await local.s3.send(new CreateBucketCommand({ Bucket: defaults.bucket })).catch(() => undefined);
  await local.sagemaker.send(
    new CreatePipelineCommand({
      PipelineName: name,
      PipelineDefinition: JSON.stringify(definition),
      RoleArn: ROLE_ARN,
    }),
  );
  return { definition, defaults };
}

export async function createPipeline(
  local: LocalSageMaker,
  name: string,
  definition: unknown,
): Promise<void> {
  await local.sagemaker.send(
    new CreatePipelineCommand({
      PipelineName: name,
      PipelineDefinition: JSON.stringify(definition),
      RoleArn: ROLE_ARN,
    }),
  );
}

export async function startExecution(
  local: LocalSageMaker,
  name: string,
  parameters: Record<string, string> = {},
): Promise<string> {
  const response = await local.sagemaker.send(
    new StartPipelineExecutionCommand({
      PipelineName: name,
      PipelineParameters: Object.entries(parameters).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  return response.PipelineExecutionArn!;
}

/** Polls DescribePipelineExecution until the execution leaves Executing/Stopping. */
export async function waitForExecution(
  local: LocalSageMaker,
  arn: string,
  timeoutMs = 60_000,
): Promise<DescribePipelineExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = await local.sagemaker.send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }),
    );
    if (!['Executing', 'Stopping'].includes(execution.PipelineExecutionStatus ?? '')) return execution;
    if (Date.now() > deadline)
      throw new Error(`execution ${arn} still ${execution.PipelineExecutionStatus} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function executionSteps(
  local: LocalSageMaker,
  arn: string,
): Promise<Record<string, PipelineExecutionStep>> {
  const steps: PipelineExecutionStep[] = [];
  let token: string | undefined;
  do {
    const page = await local.sagemaker.send(
      new ListPipelineExecutionStepsCommand({
        PipelineExecutionArn: arn,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    steps.push(...(page.PipelineExecutionSteps ?? []));
    token = page.NextToken;
  } while (token);
  return Object.fromEntries(steps.map((step) => [step.StepName!, step]));
}

/** The one-step definition `scriptPipeline` builds; tests adjust its members before CreatePipeline. */
export interface ScriptDefinition {
  Version: string;
  Parameters?: { Name: string; Type: string; DefaultValue?: unknown }[];
  Steps: [ScriptStep];
}

export interface ScriptStep {
  Name: string;
  Type: 'Processing';
  RetryPolicies?: unknown[];
  CacheConfig?: { Enabled: boolean; ExpireAfter?: string };
  Arguments: {
    AppSpecification: { ImageUri: string; ContainerEntrypoint: string[]; ContainerArguments?: string[] };
    ProcessingInputs: {
      InputName: string;
      S3Input: { S3Uri: unknown; LocalPath: string; S3DataType: string; S3InputMode: string };
    }[];
    ProcessingOutputConfig: {
      Outputs: {
        OutputName: string;
        S3Output: { S3Uri: unknown; LocalPath: string; S3UploadMode: string };
      }[];
    };
    [member: string]: unknown;
  };
}

/** A one-step pipeline running a Python script on the scikit-learn image; the script is uploaded first. */
export async function scriptPipeline(
  local: LocalSageMaker,
  options: {
    name: string;
    script: string;
    inputs?: Record<string, string>;
    outputs?: Record<string, string>;
    args?: string[];
  },
): Promise<ScriptDefinition> {
  const codeUri = `s3://scripts-bucket/${options.name}/script.py`;
  await putObject(local, codeUri, options.script);
  return scriptDefinition(codeUri, options);
}

/** The definition of a one-step pipeline running the script at `codeUri` (uploaded by the caller). */
export function scriptDefinition(
  codeUri: string,
  options: {
    inputs?: Record<string, string>;
    outputs?: Record<string, string>;
    args?: string[];
  } = {},
): ScriptDefinition {
  return {
    Version: '2020-12-01',
    Steps: [
      {
        Name: 'Script',
        Type: 'Processing',
        Arguments: {
          ProcessingResources: {
            ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
          },
          AppSpecification: {
            ImageUri: SKLEARN_IMAGE,
            ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/script.py'],
            ...(options.args ? { ContainerArguments: options.args } : {}),
          },
          RoleArn: ROLE_ARN,
          ProcessingInputs: [
            ...Object.entries(options.inputs ?? {}).map(([localPath, uri], index) => ({
              InputName: `input-${index}`,
              S3Input: { S3Uri: uri, LocalPath: localPath, S3DataType: 'S3Prefix', S3InputMode: 'File' },
            })),
            {
              InputName: 'code',
              S3Input: {
                S3Uri: codeUri,
                LocalPath: '/opt/ml/processing/input/code',
                S3DataType: 'S3Prefix',
                S3InputMode: 'File',
              },
            },
          ],
          ProcessingOutputConfig: {
            Outputs: Object.entries(options.outputs ?? {}).map(([localPath, uri], index) => ({
              OutputName: `output-${index}`,
              S3Output: { S3Uri: uri, LocalPath: localPath, S3UploadMode: 'EndOfJob' },
            })),
          },
        },
      },
    ],
  };
}
