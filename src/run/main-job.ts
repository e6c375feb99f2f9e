import { randomUUID } from 'node:crypto';
import * as path from 'node:path';

import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { writeFileAtomic } from '../../local/state/store';
import { abaloneTestRowsS3Uri, RMSE_JSON_PATH, ABALONE_STEPS } from '../../pipeline/abalone';
import { synthesizeAbalone, writeSynthResult } from '../../pipeline/synth';
import { validateDefinition } from '../../pipeline/validate';
import { runLocalNotifier } from '../approval/local-notifier';
import { putLocalApprovalRules } from '../approval/local-rules';
import { createClient, type AwsClientOptions } from '../aws/clients';
import { createDeployClients, deployStack, type DeployResult } from '../deploy/deploy-stack';
import { findApprovedModelPackage } from '../deploy/approved-model';
import { readCsvRows, smokeTestEndpoint, waitForEndpoint } from '../deploy/endpoint';
import { stackEndpointName } from '../deploy/stack-endpoint';
import { readTemplate } from '../deploy/template';
import { uploadMissingAssets } from '../pipeline/assets';
import { systemClock } from '../aws/clock';
import { createPipelineClients, type PipelineClients } from '../pipeline/clients';
import { readS3Text } from '../aws/s3-objects';
import { startExecution } from '../pipeline/start';
import { upsertPipeline } from '../pipeline/upsert';
import { waitForExecution, type ExecutionReport } from '../pipeline/wait';
import type { Reporter } from '../report/reporter';
import type { RunConfig } from './config';
import { cachedEndpointTemplate } from './endpoint-template';
import type { StageTimer } from './stages';

/**
 * Locally a poll is a loopback call answered in about a millisecond, while every wait ends on average half an
 * interval after what it waits for: short intervals cost little and save that half interval at each wait.
 */
const LOCAL_EXECUTION_POLL = { minSeconds: 0.05, maxSeconds: 0.2 } as const;
const LOCAL_DEPLOY_POLL_MS = 50;

/**
 * Offline, the approval stack's rules go on the local EventBridge before the package is registered, so its
 * PendingManualApproval event reaches the local notifier as it reaches the notifier Lambda on AWS.
 */
async function putApprovalRulesLocally(context: MainJobContext, pipelineArn: string): Promise<void> {
  if (!context.localStateDir) return;
  await putLocalApprovalRules(createClient(EventBridgeClient, context.clientOptions), {
    groupName: context.config.modelPackageGroup,
    accountArn: pipelineArn,
  });
}

/**
 * Offline: runs the notifier for the registrations it has not seen (this run's package last) and returns
 * the messages the approvers would get.
 */
async function notifyApproversLocally(context: MainJobContext): Promise<string[]> {
  if (!context.localStateDir) return [];
  const published = await runLocalNotifier({
    stateDir: context.localStateDir,
    clientOptions: context.clientOptions,
    groupName: context.config.modelPackageGroup,
    stackName: context.config.stackName,
  });
  return published.map((delivery) => delivery.Message);
}

/** What the main job did; the CLI prints it as a report or as JSON. */
export interface RunResult {
  readonly outcome: 'deployed' | 'awaiting-approval' | 'gate-failed' | 'failed' | 'stopped';
  readonly pipelineArn?: string;
  readonly pipelineChanged?: boolean;
  readonly executionArn?: string;
  readonly executionStatus?: string;
  readonly failedStep?: string;
  readonly failureReason?: string;
  readonly pipelineRmse?: number;
  readonly endpointRmse?: number;
  readonly testRows?: number;
  readonly modelPackageArn?: string;
  readonly modelPackageStatus?: string;
  readonly autoApproved?: boolean;
  /** The package the endpoint serves: the new one, or on AWS the newest approved one while the new one awaits review. */
  readonly deployedModelPackageArn?: string;
  /** Offline with --manual-approval: the messages the approvers' topic received (kept on disk). */
  readonly approversMessages?: readonly string[];
  readonly modelName?: string;
  readonly ssmParameter?: { readonly name: string; readonly value?: string };
  readonly stackName?: string;
  readonly stackChanged?: boolean;
  readonly endpointName?: string;
  readonly artifacts: Readonly<Record<string, string>>;
}

export interface MainJobContext {
  readonly config: RunConfig;
  readonly clientOptions: AwsClientOptions;
  readonly reporter: Reporter;
  readonly stages: StageTimer;
  /** Aborted on Ctrl-C: the wait stops the execution. */
  readonly signal: AbortSignal;
  /** The state dir of the local AWS the run talks to (offline only): where its notifications are kept. */
  readonly localStateDir?: string;
}

/**
 * The whole flow the README's first command shows: synthesize and validate the definition, upload data
 * and assets, upsert the pipeline, run it and follow it, approve the model, deploy the endpoint stack and
 * score the live endpoint on the held-out rows. Every step is the same core logic the actions run.
 */
export async function runMainJob(context: MainJobContext): Promise<RunResult> {
  const { config, stages } = context;
  const pipelineClients = createPipelineClients(context.clientOptions);
  const artifacts: Record<string, string> = {};

  const synth = await stages.run('synthesize and validate the pipeline', () =>
    synthesizePipeline(config, artifacts),
  );
  await stages.run('upload data and scripts', () => uploadInputs(context, pipelineClients, synth.manifest));
  const upsert = await stages.run('create or update the pipeline', () =>
    upsertPipeline(
      pipelineClients,
      {
        pipelineName: config.pipelineName,
        definition: synth.definition,
        roleArn: config.roleArn,
        tags: runTags(config),
      },
      context.reporter,
    ),
  );
  const base = { pipelineArn: upsert.pipelineArn, pipelineChanged: upsert.changed, artifacts };
  if (config.manualApproval) await putApprovalRulesLocally(context, upsert.pipelineArn);

  const execution = await stages.run('run the pipeline', () => runExecution(context, pipelineClients), {
    finishOnAbort: true,
  });
  const executionResult = summarizeExecution(execution);
  if (execution.status !== 'Succeeded')
    return { ...base, ...executionResult, outcome: failureOutcome(execution) };

  const modelPackageArn = execution.modelPackageArn;
  if (!modelPackageArn)
    throw new Error(`execution ${execution.executionArn} succeeded but registered no model package`);
  const ssmParameter = await readModelNameParameter(context);
  const registered = { ...base, ...executionResult, modelPackageArn, ssmParameter };
  if (config.manualApproval) {
    const approversMessages = await notifyApproversLocally(context);
    return {
      ...registered,
      outcome: 'awaiting-approval',
      modelPackageStatus: execution.modelPackageStatus ?? 'PendingManualApproval',
      ...(approversMessages.length > 0 ? { approversMessages } : {}),
    };
  }
  const choose =
    config.target === 'local' ? 'approve the model package' : 'find the newest approved model package';
  const deployArn = await stages.run(choose, () => packageToDeploy(context, modelPackageArn));

  const deployed = await deployEndpoint(context, { modelPackageArn: deployArn, artifacts });
  const testRowsUri = abaloneTestRowsS3Uri({
    bucket: config.bucket,
    prefix: config.prefix,
    execution: execution.executionArn,
  });
  const smoke = await stages.run('score the endpoint on the held-out rows', async () => {
    const csv = readCsvRows(await readS3Text(await pipelineClients.s3(), testRowsUri), {
      hasLabels: true,
      source: testRowsUri,
    });
    artifacts.testFeatures = writeArtifact(config, 'test-features.csv', `${csv.rows.join('\n')}\n`);
    const runtime = createClient(SageMakerRuntimeClient, context.clientOptions);
    return smokeTestEndpoint(runtime, { endpointName: deployed.endpointName, csv });
  });
  return {
    ...registered,
    outcome: 'deployed',
    modelPackageStatus: config.target === 'local' ? 'Approved' : (execution.modelPackageStatus ?? 'unknown'),
    autoApproved: config.target === 'local',
    deployedModelPackageArn: deployArn,
    stackName: config.stackName,
    stackChanged: deployed.deploy.changed,
    endpointName: deployed.endpointName,
    testRows: smoke.rows,
    ...(smoke.rmse !== undefined ? { endpointRmse: smoke.rmse } : {}),
  };
}

/** The abalone pipeline as this run configures it (also used to check --parameter before anything starts). */
export function synthesizeRunPipeline(config: RunConfig): ReturnType<typeof synthesizeAbalone> {
  return synthesizeAbalone({
    region: config.region,
    roleArn: config.roleArn,
    bucket: config.bucket,
    prefix: config.prefix,
    lambdaFunctionArn: config.lambdaArn,
    modelPackageGroupName: config.modelPackageGroup,
    modelNameParameter: config.modelNameParameter,
    dataFile: config.dataFile,
  });
}

async function synthesizePipeline(config: RunConfig, artifacts: Record<string, string>) {
  const result = synthesizeRunPipeline(config);
  const issues = validateDefinition(result.definition);
  if (issues.length > 0) {
    throw new Error(
      `the synthesized definition is invalid:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`,
    );
  }
  const files = writeSynthResult(path.join(config.buildDir, 'pipeline.json'), result);
  artifacts.definition = files.definitionFile;
  artifacts.assetsManifest = files.manifestFile;
  return result;
}

async function uploadInputs(
  context: MainJobContext,
  clients: PipelineClients,
  manifest: ReturnType<typeof synthesizeAbalone>['manifest'],
) {
  await ensureBucket(await clients.s3(), context.config);
  const root = path.resolve(__dirname, '..', '..');
  const result = await uploadMissingAssets(clients, { manifest, root }, context.reporter);
  context.reporter.info(
    `${result.uploaded.length} uploaded, ${result.present.length} already in s3://${context.config.bucket}`,
  );
}

/** The local AWS starts empty, so the run creates its bucket; on AWS the bucket comes from infra/ and must exist. */
async function ensureBucket(s3: S3Client, config: RunConfig): Promise<void> {
  if (config.target === 'local') {
    await s3.send(new CreateBucketCommand({ Bucket: config.bucket })).catch((error: { name?: string }) => {
      if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
    });
    return;
  }
  await s3.send(new HeadBucketCommand({ Bucket: config.bucket })).catch((error: Error) => {
    throw new Error(
      `bucket ${config.bucket} is not reachable (${error.name}); deploy the infra/ foundation stack or pass --bucket`,
    );
  });
}

async function runExecution(context: MainJobContext, clients: PipelineClients): Promise<ExecutionReport> {
  const { config } = context;
  const started = await startExecution(
    clients,
    {
      pipelineName: config.pipelineName,
      parameters: config.parameters,
      displayName: `mlops-run-${new Date()
        .toISOString()
        .replace(/[^0-9]/g, '')
        .slice(0, 14)}`,
      description: `Started by mlops run (${config.target})`,
      clientRequestToken: randomUUID(),
      tags: runTags(config),
    },
    context.reporter,
  );
  return waitForExecution(
    clients,
    {
      executionArn: started.executionArn,
      timeoutMinutes: config.timeoutMinutes,
      poll: config.target === 'local' ? LOCAL_EXECUTION_POLL : { minSeconds: 5, maxSeconds: 30 },
      stopOnTimeout: true,
      signal: context.signal,
      stopOnCancel: true,
      watchStopOnCancel: true,
    },
    context.reporter,
  );
}

function summarizeExecution(execution: ExecutionReport) {
  const evaluation = execution.reports.find((report) => report.step === ABALONE_STEPS.evaluate);
  const rmse = readJsonPath(evaluation?.content, RMSE_JSON_PATH);
  return {
    executionArn: execution.executionArn,
    executionStatus: execution.status,
    ...(execution.failedStep ? { failedStep: execution.failedStep.name } : {}),
    ...(execution.failureReason ? { failureReason: execution.failureReason } : {}),
    ...(typeof rmse === 'number' ? { pipelineRmse: rmse } : {}),
    ...(execution.modelName ? { modelName: execution.modelName } : {}),
  };
}

function failureOutcome(execution: ExecutionReport): RunResult['outcome'] {
  if (execution.status === 'Stopped' || execution.outcome === 'cancelled') return 'stopped';
  return execution.failedStep?.name === ABALONE_STEPS.rmseTooHigh ? 'gate-failed' : 'failed';
}

async function readModelNameParameter(context: MainJobContext): Promise<{ name: string; value?: string }> {
  const name = context.config.parameters.ModelNameParameter ?? context.config.modelNameParameter;
  const ssm = createClient(SSMClient, context.clientOptions);
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }));
    return { name, ...(Parameter?.Value ? { value: Parameter.Value } : {}) };
  } catch (error) {
    context.reporter.warning(`could not read SSM parameter ${name}: ${(error as Error).message}`);
    return { name };
  }
}

/**
 * Locally the new package is approved on the spot (the report says so). On AWS approval is a person's
 * call: the endpoint gets the newest Approved package of the group, which is the new one only once
 * someone approved it (or the execution ran with ModelApprovalStatus=Approved).
 */
async function packageToDeploy(context: MainJobContext, newPackageArn: string): Promise<string> {
  if (context.config.target === 'local') {
    await approve(context, newPackageArn);
    return newPackageArn;
  }
  const sagemaker = createPipelineClients(context.clientOptions).sagemaker;
  const approved = await findApprovedModelPackage(
    sagemaker,
    context.config.parameters.ModelPackageGroupName ?? context.config.modelPackageGroup,
  );
  if (approved.arn !== newPackageArn) {
    context.reporter.warning(
      `${newPackageArn} awaits approval (npx mlops approve ${newPackageArn} --target aws); deploying the newest approved package ${approved.arn}`,
    );
  }
  return approved.arn;
}

export async function approve(
  context: Pick<MainJobContext, 'clientOptions' | 'reporter'>,
  modelPackageArn: string,
): Promise<void> {
  const sagemaker = createPipelineClients(context.clientOptions).sagemaker;
  await sagemaker.send(
    new UpdateModelPackageCommand({
      ModelPackageArn: modelPackageArn,
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: 'Approved by mlops',
    }),
  );
  context.reporter.info(`approved ${modelPackageArn}`);
}

/** Synthesizes cdk-model-deploy for the package, deploys it with the deploy-endpoint logic and waits for InService. */
export async function deployEndpoint(
  context: MainJobContext,
  options: {
    modelPackageArn: string;
    artifacts: Record<string, string>;
    /** Stack tags besides the run's own (e.g. who approved the package). */
    tags?: Readonly<Record<string, string>>;
  },
): Promise<{ deploy: DeployResult; endpointName: string }> {
  const { config, stages } = context;
  const templateFile = await stages.run('synthesize the endpoint stack (cdk-model-deploy)', async () => {
    const { template, cached } = await cachedEndpointTemplate({
      config,
      modelPackageArn: options.modelPackageArn,
      cacheDir: path.join(config.buildDir, 'cache'),
    });
    if (cached) context.reporter.info('endpoint template unchanged: reused the cached synthesis');
    options.artifacts.endpointTemplate = writeArtifact(
      config,
      'endpoint.template.json',
      `${JSON.stringify(template, null, 1)}\n`,
    );
    return options.artifacts.endpointTemplate;
  });
  const clients = createDeployClients(context.clientOptions);
  const template = readTemplate(templateFile);
  const deadline = Date.now() + config.timeoutMinutes * 60_000;
  return stages.run('deploy the endpoint (CloudFormation)', async () => {
    const deploy = await deployStack(
      clients,
      {
        stackName: config.stackName,
        template,
        parameters: {},
        capabilities: ['CAPABILITY_IAM'],
        tags: { ...Object.fromEntries(runTags(config).map((tag) => [tag.Key, tag.Value])), ...options.tags },
        changeSetName: `mlops-run-${Date.now().toString(36)}`,
        deadline,
        failOnEmptyChangeSet: false,
        ...(config.target === 'local' ? { pollSeconds: LOCAL_DEPLOY_POLL_MS / 1000 } : {}),
      },
      context.reporter,
    );
    const endpointName = await stackEndpointName(clients.cloudformation, {
      stackName: config.stackName,
      template,
      outputs: deploy.outputs,
    });
    if (!endpointName) throw new Error(`stack ${config.stackName} has no SageMaker endpoint`);
    const sagemaker = createPipelineClients(context.clientOptions).sagemaker;
    await waitForEndpoint(sagemaker, {
      endpointName,
      deadline,
      clock: systemClock,
      reporter: context.reporter,
      pollMs: config.target === 'local' ? LOCAL_DEPLOY_POLL_MS : 15_000,
    });
    return { deploy, endpointName };
  });
}

function writeArtifact(config: RunConfig, name: string, content: string): string {
  const file = path.join(config.buildDir, name);
  writeFileAtomic(file, content);
  return file;
}

function runTags(config: RunConfig): { Key: string; Value: string }[] {
  return [
    { Key: 'mlops:started-by', Value: 'mlops run' },
    { Key: 'mlops:target', Value: config.target },
  ];
}

function readJsonPath(value: unknown, jsonPath: string): unknown {
  return jsonPath
    .split('.')
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      value,
    );
}
