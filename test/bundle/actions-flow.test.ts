import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribePipelineExecutionCommand,
  ListTagsCommand,
  SageMakerClient,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';

import { synthesizeEndpointTemplate } from '../../cdk-model-deploy/lib/synth';
import { ABALONE_STEPS, abaloneTestRowsS3Uri } from '../../pipeline/abalone';
import { assetObject } from '../../pipeline/assets';
import { abaloneDefaults, synthesizeAbalone, writeSynthResult } from '../../pipeline/synth';
import { createClient } from '../../src/aws/clients';
import { LOCAL_CREDENTIALS, startLocalAws, type LocalAws } from '../../local';
import { startGitHubStandIn } from './github-stand-in';
import { scriptDefinition } from '../integration/sagemaker/helpers';
import { githubEnv, runBundle, type BundleRun } from './harness';

// One local AWS for the whole flow, as a workflow would use one account: upsert → wait → gate → deploy.
jest.setTimeout(120_000);

const PIPELINE = 'abalone-pipeline';
const ROLE = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';
const defaults = abaloneDefaults();

let aws: LocalAws;
let dir: string;
let definitionFile: string;
let manifestFile: string;
let templateFile: string;
let slowDefinitionFile: string;
let sagemaker: SageMakerClient;
let s3: S3Client;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actions-flow-'));
  aws = await startLocalAws({ port: 0, stateDir: path.join(dir, 'state'), quiet: true });
  const clientOptions = { endpoint: aws.endpoint, region: aws.region, credentials: { ...LOCAL_CREDENTIALS } };
  sagemaker = createClient(SageMakerClient, clientOptions);
  s3 = createClient(S3Client, clientOptions);
  await s3.send(new CreateBucketCommand({ Bucket: defaults.bucket }));
  ({ definitionFile, manifestFile } = writeSynthResult(
    path.join(dir, 'pipeline.json'),
    synthesizeAbalone(defaults),
  ));
  templateFile = path.join(dir, 'endpoint.template.json');
  fs.writeFileSync(templateFile, JSON.stringify(synthesizeEndpointTemplate()));
  slowDefinitionFile = await writeSlowPipeline();
});

/**
 * A one-step pipeline whose job sleeps for a minute: the tests that stop an execution need one that is
 * surely still running when the wait starts (the abalone pipeline now finishes in about two seconds).
 */
async function writeSlowPipeline(): Promise<string> {
  const key = 'slow-pipeline/script.py'; // the name scriptDefinition's entrypoint runs
  await s3.send(
    new PutObjectCommand({ Bucket: defaults.bucket, Key: key, Body: 'import time\ntime.sleep(60)\n' }),
  );
  const file = path.join(dir, 'slow-pipeline.json');
  fs.writeFileSync(file, JSON.stringify(scriptDefinition(`s3://${defaults.bucket}/${key}`)));
  return file;
}

const slowInputs = () => ({
  'pipeline-name': 'slow-pipeline',
  'definition-file': slowDefinitionFile,
  'role-arn': ROLE,
});

afterAll(async () => {
  await aws?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = (overrides: Record<string, string> = {}) => ({ ...aws.env, ...githubEnv(overrides) });

const upsertInputs = (extra: Record<string, string> = {}) => ({
  'pipeline-name': PIPELINE,
  'definition-file': definitionFile,
  'role-arn': ROLE,
  'assets-manifest': manifestFile,
  tags: 'team: ml-platform',
  ...extra,
});

const waitInputs = (executionArn: string, extra: Record<string, string> = {}) => ({
  'execution-arn': executionArn,
  'poll-interval-seconds': '0.3-1',
  ...extra,
});

function expectSuccess(run: BundleRun): void {
  if (run.code !== 0) throw new Error(`expected success, exit ${run.code}\n${run.stdout}\n${run.stderr}`);
}

async function executionStatus(executionArn: string): Promise<string | undefined> {
  const described = await sagemaker.send(
    new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn }),
  );
  return described.PipelineExecutionStatus;
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the actions, run from their committed bundles against the local AWS', () => {
  let goodExecution = '';
  let failingExecution = '';
  let evaluationRmse = 0;

  test('upsert-sagemaker-pipeline creates the pipeline, uploads the assets and starts a tagged execution', async () => {
    const run = await runBundle('upsert-sagemaker-pipeline', { inputs: upsertInputs(), env: env() });
    expectSuccess(run);
    expect(run.outputs.changed).toBe('true');
    expect(run.outputs['pipeline-arn']).toMatch(/:pipeline\/abalone-pipeline$/);
    goodExecution = run.outputs['execution-arn'] ?? '';
    expect(goodExecution).toMatch(/:pipeline\/abalone-pipeline\/execution\/\w+$/);
    expect(run.summary).toContain('```mermaid');
    expect(run.summary).toContain('created');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
      assets: { s3Uri: string; path: string; sha256: string }[];
    };
    for (const asset of manifest.assets) {
      const { bucket, key } = assetObject(asset);
      await expect(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).resolves.toBeDefined();
    }
    const { Tags } = await sagemaker.send(new ListTagsCommand({ ResourceArn: goodExecution }));
    expect(Tags).toEqual(
      expect.arrayContaining([
        { Key: 'github:repository', Value: 'example-org/mlops-demo' },
        {
          Key: 'github:run-url',
          Value: 'https://github.com/example-org/mlops-demo/actions/runs/4242/attempts/1',
        },
      ]),
    );
  });

  test('an identical second upsert changes nothing, uploads nothing and re-running the step reuses its execution', async () => {
    const [again, failing] = await Promise.all([
      runBundle('upsert-sagemaker-pipeline', { inputs: upsertInputs(), env: env() }),
      runBundle('upsert-sagemaker-pipeline', {
        inputs: upsertInputs({ 'execution-parameters': '{"RmseThreshold": 0.5}' }),
        env: env(),
      }),
    ]);
    expectSuccess(again);
    expectSuccess(failing);
    expect(again.outputs.changed).toBe('false');
    expect(again.stdout).toContain('4 asset(s) already in S3');
    expect(again.stdout).not.toContain('Uploaded');
    expect(again.outputs['execution-arn']).toBe(goodExecution);
    expect(failing.outputs.changed).toBe('false');
    failingExecution = failing.outputs['execution-arn'] ?? '';
    expect(failingExecution).not.toBe(goodExecution);
  });

  test('wait-for-execution succeeds on a good execution and fails with the right step and reason on a failing one', async () => {
    const [good, bad] = await Promise.all([
      runBundle('wait-for-execution', { inputs: waitInputs(goodExecution), env: env() }),
      runBundle('wait-for-execution', { inputs: waitInputs(failingExecution), env: env() }),
    ]);
    expectSuccess(good);
    expect(good.outputs.status).toBe('Succeeded');
    expect(good.outputs['model-package-arn']).toMatch(/:model-package\/abalone-models\/\d+$/);
    expect(good.outputs['model-package-status']).toBe('PendingManualApproval');
    expect(good.outputs['model-name']).toBeTruthy();
    expect(JSON.parse(good.outputs.metrics ?? '{}')).toHaveProperty(['validation:rmse']);
    expect(Number(good.outputs['duration-seconds'])).toBeGreaterThan(0);
    expect(good.summary).toContain('```mermaid');
    expect(good.summary).toContain('| Step | Type | Status | Duration | Attempts | Cache hit | Resource |');
    expect(good.summary).toContain('### Training metrics');
    expect(good.summary).toContain('regression_metrics.rmse.value');
    for (const step of Object.values(ABALONE_STEPS).filter((name) => name !== ABALONE_STEPS.rmseTooHigh)) {
      expect(good.stdout).toContain(`✔ ${step}: Succeeded`);
    }
    evaluationRmse = (
      JSON.parse(good.outputs['evaluation-report'] ?? '{}') as {
        regression_metrics: { rmse: { value: number } };
      }
    ).regression_metrics.rmse.value;

    expect(bad.code).toBe(1);
    expect(bad.outputs.status).toBe('Failed');
    expect(bad.outputs['failed-step']).toBe(ABALONE_STEPS.rmseTooHigh);
    expect(bad.outputs['failure-reason']).toMatch(/rmse/i);
    expect(bad.outputs['failure-reason']).toContain('0.5');
    expect(bad.stdout).toMatch(/::error::Execution Failed at step RmseTooHigh: .*0\.5/);
    expect(bad.summary).toContain('### Failure');
    expect(bad.summary).toContain('class s8 failed');
  });

  test('wait-for-execution writes a metrics record and fails a model worse than the baseline beyond max-regression', async () => {
    const rmse = 'Evaluate/EvaluationReport/regression_metrics.rmse.value';
    const metricsFile = path.join(dir, 'metrics', 'metrics.json');
    const first = await runBundle('wait-for-execution', {
      inputs: waitInputs(goodExecution, { 'metrics-file': metricsFile }),
      env: env(),
    });
    expectSuccess(first);
    const record = JSON.parse(fs.readFileSync(metricsFile, 'utf8')) as { metrics: Record<string, number> };
    expect(record.metrics[rmse]).toBe(evaluationRmse);

    const better = path.join(dir, 'metrics', 'better.json');
    fs.writeFileSync(better, JSON.stringify({ ...record, metrics: { [rmse]: evaluationRmse / 2 } }));
    const limited = (baseline: string) =>
      runBundle('wait-for-execution', {
        inputs: waitInputs(goodExecution, {
          'baseline-metrics-file': baseline,
          'max-regression': `${rmse}: +5%`,
        }),
        env: env(),
      });
    const [same, worse] = await Promise.all([limited(metricsFile), limited(better)]);
    expectSuccess(same);
    expect(same.summary).toContain('**Within every limit** (1).');
    expect(worse.code).toBe(1);
    expect(worse.stdout).toContain(
      `::error::The execution Succeeded, but 1 metric(s) moved beyond max-regression against the baseline:`,
    );
    expect(worse.summary).toContain('✖ +5%');
  });

  test('approved-model fails with how to approve while no package is approved, then passes the newest Approved one', async () => {
    const gate = { inputs: { 'model-package-group': defaults.modelPackageGroupName }, env: env() };
    const blocked = await runBundle('approved-model', gate);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain('has no Approved model package');
    expect(blocked.stdout).toContain('mlops approve arn:aws:sagemaker:');
    const { ModelPackageArn } = await sagemaker.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: 'arn:aws:sagemaker:us-east-1:000000000000:model-package/abalone-models/1',
        ModelApprovalStatus: 'Approved',
      }),
    );
    const passed = await runBundle('approved-model', { ...gate, node: 'node20' });
    expectSuccess(passed);
    expect(passed.outputs['model-package-arn']).toBe(ModelPackageArn);
    expect(JSON.parse(passed.outputs['template-parameters'] ?? '{}')).toEqual({ ModelPackageArn });
  });

  const deployInputs = (parameters: string, extra: Record<string, string> = {}) => ({
    'stack-name': 'abalone-staging',
    'template-file': templateFile,
    parameters,
    'timeout-minutes': '5',
    ...extra,
  });

  test('deploy-endpoint creates the stack, waits for the endpoint and smoke-tests it with the held-out rows', async () => {
    const testRows = abaloneTestRowsS3Uri({
      bucket: defaults.bucket,
      prefix: defaults.prefix,
      execution: goodExecution,
    });
    const run = await runBundle('deploy-endpoint', {
      inputs: deployInputs('StageName: staging\nInstanceCount: 1', {
        'smoke-test-file': testRows,
        'smoke-test-has-labels': 'true',
      }),
      env: env(),
    });
    expectSuccess(run);
    expect(run.outputs.changed).toBe('true');
    expect(run.outputs['stack-status']).toBe('CREATE_COMPLETE');
    expect(run.outputs['endpoint-name']).toBe('abalone-staging');
    expect(run.outputs.EndpointName).toBe('abalone-staging');
    expect(JSON.parse(run.outputs.outputs ?? '{}')).toHaveProperty('EndpointArn');
    expect(run.outputs['endpoint-status']).toBe('InService');
    expect(Number(run.outputs['smoke-test-rmse'])).toBeCloseTo(evaluationRmse, 4);
    expect(run.stdout).toMatch(/CREATE_COMPLETE Endpoint \(AWS::SageMaker::Endpoint\)/);
    expect(run.summary).toContain('| Add | Endpoint | AWS::SageMaker::Endpoint |');
    expect(run.summary).toContain('Smoke test RMSE');
  });

  test('deploy-endpoint reports no change for the same template and parameters, and succeeds', async () => {
    const run = await runBundle('deploy-endpoint', {
      inputs: deployInputs('StageName: staging\nInstanceCount: 1'),
      env: env(),
    });
    expectSuccess(run);
    expect(run.outputs.changed).toBe('false');
    expect(run.outputs['endpoint-status']).toBe('InService');
    expect(run.summary).toContain('unchanged (no changes)');
  });

  test('deploy-endpoint updates the stack when a parameter changes', async () => {
    const run = await runBundle('deploy-endpoint', {
      inputs: deployInputs('{"StageName": "staging", "InstanceCount": 2}'),
      env: env(),
    });
    expectSuccess(run);
    expect(run.outputs.changed).toBe('true');
    expect(run.outputs['stack-status']).toBe('UPDATE_COMPLETE');
    expect(run.summary).toContain('| Modify |');
  });

  test('on a pull request, the sticky PR comment is created once and then updated, one section per action', async () => {
    const github = await startGitHubStandIn();
    const eventFile = path.join(dir, 'event.json');
    fs.writeFileSync(eventFile, JSON.stringify({ pull_request: { number: 7 } }));
    const prEnv = env({
      GITHUB_API_URL: github.url,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_REF: 'refs/pull/7/merge',
    });
    const comment = { 'pr-comment': 'true', 'github-token': 'test-token' };
    try {
      const first = await runBundle('deploy-endpoint', {
        inputs: deployInputs('{"StageName": "staging", "InstanceCount": 2}', comment),
        env: prEnv,
      });
      expectSuccess(first);
      expect(first.stdout).toContain('PR comment created');
      const second = await runBundle('deploy-endpoint', {
        inputs: deployInputs('{"StageName": "staging", "InstanceCount": 2}', comment),
        env: prEnv,
      });
      expectSuccess(second);
      expect(second.stdout).toContain('PR comment updated');
      const wait = await runBundle('wait-for-execution', {
        inputs: waitInputs(goodExecution, comment),
        env: prEnv,
      });
      expectSuccess(wait);
      expect(github.comments).toHaveLength(1);
      const body = github.comments[0]?.body ?? '';
      expect(body.match(/<!-- mlops-sticky-comment:mlops -->/g)).toHaveLength(1);
      expect(body.match(/<!-- section:deploy-endpoint-abalone-staging -->/g)).toHaveLength(1);
      expect(body).toContain('<!-- section:wait-for-execution -->');
      expect(body).toContain('```mermaid');
      expect(github.calls.filter((call) => call.startsWith('POST'))).toHaveLength(1);
      expect(github.calls.filter((call) => call.startsWith('PATCH'))).toHaveLength(2);
    } finally {
      await github.close();
    }
  });

  test('wait-for-execution times out after the given (fractional) minutes and stops the execution when asked', async () => {
    const start = await runBundle('upsert-sagemaker-pipeline', {
      inputs: slowInputs(),
      env: env({ GITHUB_RUN_ID: '5001' }),
    });
    expectSuccess(start);
    const executionArn = start.outputs['execution-arn'] ?? '';
    const run = await runBundle('wait-for-execution', {
      // 0.6 s: well inside the slow pipeline's minute.
      inputs: waitInputs(executionArn, { 'timeout-minutes': '0.01', 'stop-on-timeout': 'true' }),
      env: env(),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('timed out after 0.01 minutes');
    expect(run.outputs.status).toBe('Stopped');
    expect(await executionStatus(executionArn)).toBe('Stopped');
  });

  test('wait-for-execution stops the execution when the workflow is cancelled (SIGTERM)', async () => {
    const start = await runBundle('upsert-sagemaker-pipeline', {
      inputs: slowInputs(),
      env: env({ GITHUB_RUN_ID: '5002' }),
    });
    expectSuccess(start);
    const executionArn = start.outputs['execution-arn'] ?? '';
    const run = await runBundle('wait-for-execution', {
      inputs: waitInputs(executionArn),
      env: env(),
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (child.stdout.join('').includes('Waiting for')) {
            clearInterval(timer);
            child.kill('SIGTERM');
          }
        }, 50);
      },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Received SIGTERM');
    expect(run.stdout).toContain('The workflow was cancelled');
    await eventually(
      async () => (await executionStatus(executionArn)) === 'Stopped',
      'the execution to stop',
    );
  });

  test('with 30% of calls throttled, all three actions still succeed (on Node 20, the rest runs on Node 24)', async () => {
    aws.faults.configure({ throttleRate: 0.3 });
    try {
      const upsert = await runBundle('upsert-sagemaker-pipeline', {
        node: 'node20',
        inputs: upsertInputs({ 'pipeline-description': 'throttled run' }),
        env: env({ GITHUB_RUN_ID: '5003' }),
      });
      expectSuccess(upsert);
      expect(upsert.outputs.changed).toBe('true');
      const wait = await runBundle('wait-for-execution', {
        node: 'node20',
        inputs: waitInputs(upsert.outputs['execution-arn'] ?? ''),
        env: env(),
      });
      expectSuccess(wait);
      expect(wait.outputs.status).toBe('Succeeded');
      const deploy = await runBundle('deploy-endpoint', {
        node: 'node20',
        inputs: deployInputs('StageName: staging\nInstanceCount: 1'),
        env: env(),
      });
      expectSuccess(deploy);
      expect(deploy.outputs['stack-status']).toBe('UPDATE_COMPLETE');
    } finally {
      aws.faults.configure({});
    }
  });
});
