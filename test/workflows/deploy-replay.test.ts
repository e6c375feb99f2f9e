import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import {
  CreateModelPackageGroupCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';

import { createClient } from '../../src/aws/clients';
import { startLocalAws, type LocalAws } from '../../local';
import { firstFeatureRow, localClients, predict } from './replay/endpoint-check';
import { assertReplaySucceeded, replayWorkflow, type JobRecord, type ReplayResult } from './replay/replayer';

const ROOT = join(__dirname, '..', '..');
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const PROJECT = 'mlops-abalone';
/** The two required repository variables, and a quick poll: local executions take seconds, not minutes. */
const VARS = {
  AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/mlops-github-deploy`,
  AWS_PRODUCTION_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/mlops-github-deploy-production`,
  AWS_REGION: REGION,
  MLOPS_POLL_INTERVAL_SECONDS: '0.5-2',
};

/**
 * deploy.yml replayed from its YAML against the local AWS, through the reusable train-and-deploy workflow:
 * first a push whose new model package is PendingManualApproval (the gate stops and says how to approve),
 * then, after a person approves it, a re-run that deploys it to staging (smoke test) and production.
 */
describe('deploy.yml (replayed against the local AWS)', () => {
  let work: string;
  let aws: LocalAws;
  let firstRun: ReplayResult;
  let rerun: ReplayResult;
  let dispatched: ReplayResult;
  let registered: string | undefined;

  const job = (result: ReplayResult, key: string): JobRecord => {
    const found = result.jobs.find((candidate) => candidate.key === key);
    if (!found)
      throw new Error(
        `no job ${key} in the replay (jobs: ${result.jobs.map((record) => record.key).join(', ')})`,
      );
    return found;
  };

  const replay = (
    runAttempt: number,
    event: Parameters<typeof replayWorkflow>[0]['event'] = { name: 'push', ref: 'refs/heads/main' },
  ) =>
    replayWorkflow({
      workflow: '.github/workflows/deploy.yml',
      repoRoot: ROOT,
      workDir: join(work, `run-attempt-${runAttempt}`),
      awsEndpoint: aws.endpoint,
      event,
      vars: VARS,
      runAttempt,
    });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'replay-deploy-'));
    aws = await startLocalAws({ port: 0, stateDir: join(work, 'aws'), region: REGION, quiet: true });
    await provisionFoundation(aws.endpoint);
    firstRun = await replay(1);
    registered = job(firstRun, 'train-and-deploy/train').steps.find((step) => step.id === 'wait')?.outputs[
      'model-package-arn'
    ];
    // A reviewer approves the package (what `mlops approve` or the console does), then re-runs the workflow.
    const { options } = localClients(aws.endpoint, REGION);
    await createClient(SageMakerClient, options).send(
      new UpdateModelPackageCommand({ ModelPackageArn: registered, ModelApprovalStatus: 'Approved' }),
    );
    rerun = await replay(2);
    // EventBridge delivers the approval of the package now serving once more (what the approval stack's rule sends).
    dispatched = await replay(3, {
      name: 'repository_dispatch',
      payload: {
        action: 'model-approved',
        client_payload: {
          model_package_arn: registered ?? '',
          model_package_group: PROJECT,
          event_id: 'e-1',
        },
      },
    });
  }, 400_000);

  it('a repeated model-approved dispatch of the serving package runs no pipeline and deploys nothing', () => {
    const train = job(dispatched, 'train-and-deploy/train');
    const gate = train.steps.find((step) => step.id === 'gate');
    expect(gate?.outputs.deploy).toBe('false');
    expect(gate?.outputs.reason).toBe(
      `${registered} already serves; nothing to deploy (a repeated approval event)`,
    );
    expect(train.steps.find((step) => step.id === 'upsert')?.outputs['execution-arn']).toBeUndefined();
    expect(job(dispatched, 'train-and-deploy/staging').result).toBe('skipped');
    expect(job(dispatched, 'train-and-deploy/production').result).toBe('skipped');
  });

  afterAll(async () => {
    await aws?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('stops at the gate while the only package is PendingManualApproval, saying how to approve it', () => {
    const train = job(firstRun, 'train-and-deploy/train');
    expect(train.result).toBe('failure');
    const wait = train.steps.find((step) => step.id === 'wait');
    expect(wait?.outputs.status).toBe('Succeeded');
    expect(wait?.outputs['model-package-status']).toBe('PendingManualApproval');
    const gate = train.steps.find((step) => step.id === 'gate');
    expect(gate?.outcome).toBe('failure');
    expect(gate?.error).toContain('has no Approved model package');
    expect(gate?.error).toContain('--model-approval-status Approved');
    expect(job(firstRun, 'train-and-deploy/staging').result).toBe('skipped');
    expect(job(firstRun, 'train-and-deploy/production').result).toBe('skipped');
  });

  it('replays every job in needs order, through the reusable workflow', () => {
    assertReplaySucceeded(rerun);
    expect(rerun.jobs.map((record) => record.key).sort()).toEqual([
      'definition',
      'train-and-deploy',
      'train-and-deploy/production',
      'train-and-deploy/staging',
      'train-and-deploy/template',
      'train-and-deploy/train',
    ]);
    const after = (later: string, earlier: string) =>
      expect(job(rerun, later).started).toBeGreaterThan(job(rerun, earlier).finished);
    after('train-and-deploy/train', 'definition');
    after('train-and-deploy/staging', 'train-and-deploy/train');
    after('train-and-deploy/staging', 'train-and-deploy/template');
    after('train-and-deploy/production', 'train-and-deploy/staging');
    expect(job(rerun, 'train-and-deploy/staging').environment).toBe('staging');
    expect(job(rerun, 'train-and-deploy/production').environment).toBe('production');
    const actions = rerun.jobs.flatMap((record) =>
      record.steps.filter((step) => step.uses?.startsWith('./')).map((step) => step.uses),
    );
    expect(actions).toEqual([
      './.mlops-actions/actions/upsert-sagemaker-pipeline',
      './.mlops-actions/actions/wait-for-execution',
      './.mlops-actions/actions/approved-model',
      './.mlops-actions/actions/deploy-endpoint',
      './.mlops-actions/actions/deploy-endpoint',
    ]);
  });

  it('deploys the newest Approved package while the new one awaits review', () => {
    const call = job(rerun, 'train-and-deploy');
    const registeredFirst = job(firstRun, 'train-and-deploy/train').outputs['registered-model-package-arn'];
    expect(call.outputs['model-package-arn']).toBe(registeredFirst);
    expect(call.outputs['registered-model-package-arn']).not.toBe(registeredFirst);
    expect(job(rerun, 'train-and-deploy/train').summary).toContain(
      'is PendingManualApproval, so the newest Approved package',
    );
  });

  it('deploys staging with a smoke test, then production, and both endpoints answer', async () => {
    const call = job(rerun, 'train-and-deploy');
    expect(call.outputs['staging-endpoint-name']).toBe('abalone-staging');
    expect(call.outputs['production-endpoint-name']).toBe('abalone-production');
    expect(Number(call.outputs['smoke-test-rmse'])).toBeGreaterThan(1);
    expect(Number(call.outputs['smoke-test-rmse'])).toBeLessThan(3.5);
    const clients = localClients(aws.endpoint, REGION);
    const executionId = call.outputs['execution-arn']?.split('/').pop();
    const row = await firstFeatureRow(
      clients.s3,
      `s3://${PROJECT}-artifacts-${ACCOUNT}-${REGION}/${PROJECT}/${executionId}/Preprocess/test/test.csv`,
    );
    for (const endpoint of ['abalone-staging', 'abalone-production']) {
      expect(await predict(clients.runtime, endpoint, row)).toBeGreaterThan(0);
    }
  });
});

/** What the infra/ foundation stack provides on AWS, under its names (infra/lib/names.ts). */
async function provisionFoundation(endpoint: string): Promise<void> {
  const { s3, options } = localClients(endpoint, REGION);
  await s3.send(new CreateBucketCommand({ Bucket: `${PROJECT}-artifacts-${ACCOUNT}-${REGION}` }));
  await createClient(LambdaClient, options).send(
    new CreateFunctionCommand({
      FunctionName: `${PROJECT}-record-model-name`,
      Handler: join(ROOT, 'src', 'lambda', 'record-model-name.handler'),
      Role: `arn:aws:iam::${ACCOUNT}:role/${PROJECT}-record-model-name`,
      Runtime: 'nodejs22.x',
      Code: { ZipFile: new Uint8Array() },
      Environment: { Variables: { MODEL_NAME_PARAMETER: '/mlops/abalone/model-name' } },
    }),
  );
  await createClient(SageMakerClient, options).send(
    new CreateModelPackageGroupCommand({ ModelPackageGroupName: PROJECT }),
  );
}
