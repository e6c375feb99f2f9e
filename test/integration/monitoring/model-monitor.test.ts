import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { ListMonitoringSchedulesCommand } from '@aws-sdk/client-sagemaker';

import { findPython } from '../../../local/runtimes/python';
import { runDriftCheck, type DriftCheckOptions } from '../../../src/monitor/drift-check';
import type { Constraints, Statistics, Violation } from '../../../src/monitor/files';
import { retrainOnDrift } from '../../../src/monitor/retrain';
import { sendShiftedTraffic } from '../../../src/monitor/shifted-traffic';
import { driftSummaryMarkdown } from '../../../src/monitor/summary';
import { buildAbaloneModel } from '../endpoints/abalone-model';
import { createModel, uploadModels } from '../endpoints/hosting';
import { startTestAws, type TestAws } from '../endpoints/local-aws';

jest.setTimeout(240_000);

interface ExecutionResult {
  readonly status: string;
  readonly failureReason?: string;
  readonly exitMessage?: string;
  readonly schedule: string;
  readonly output?: string;
  readonly violations?: Violation[];
  readonly statistics?: Statistics;
}

interface MonitorRun {
  readonly baseline: { status: string; failure?: string; constraints: Constraints };
  readonly definition: unknown;
  readonly refused: Record<string, { code: string; message: string } | null>;
  readonly hourly: string;
  readonly definitionInUse: { code: string; message: string } | null;
  readonly empty: ExecutionResult;
  readonly normal: ExecutionResult;
  readonly drifted: ExecutionResult;
  readonly executions: string[];
  readonly violationsOnly: string[];
  readonly stopped: string;
  readonly schedules: string[];
  readonly stack: { status: string; reason?: string; outputs: Record<string, string>; schedule: string };
  readonly stackDeleted: { code: string; message: string } | null;
}

let t: TestAws;
let run: MonitorRun;
let testRows: readonly string[];

beforeAll(async () => {
  t = await startTestAws();
  const model = await buildAbaloneModel(path.join(t.dir, 'model'));
  testRows = model.testRows;
  await uploadModels(t, { abalone: { file: model.modelTarGz } });
  await createModel(t, 'abalone', 'abalone');
  const rowsFile = path.join(t.dir, 'rows.csv');
  fs.writeFileSync(rowsFile, model.testRows.join('\n'));
  const train = path.join(t.dir, 'model', 'splits', 'train', 'train.csv');
  const result = await promisify(execFile)(
    findPython(),
    [path.join(__dirname, 'monitor_endpoint.py'), t.aws.endpoint, 'abalone', rowsFile, train],
    {
      timeout: 220_000,
      maxBuffer: 64 * 1024 * 1024,
      // Debian's botocore (1.29) predates ScheduleConfig.DataAnalysisStartTime/EndTime (2023): botocore's own
      // sdk-extras mechanism adds those two members of the AWS model; everything else is the stock client.
      env: { ...process.env, AWS_DATA_PATH: path.join(__dirname, 'botocore-extras') },
    },
  );
  run = JSON.parse(result.stdout) as MonitorRun;
});

afterAll(() => t?.stop());

describe('Model Monitor on the local AWS, driven by boto3', () => {
  it('computes the baseline with CreateProcessingJob on the analyzer image', () => {
    expect(run.baseline.status).toBe('Completed');
    expect(run.baseline.constraints.features.map((feature) => feature.name)).toEqual(
      Array.from({ length: 10 }, (_, index) => `_c${index}`),
    );
  });

  it('refuses bad schedules with messages naming what is wrong', () => {
    expect(run.refused.missingDefinition).toEqual({
      code: 'ValidationException',
      message: expect.stringContaining('Job definition with name absent and type DataQuality does not exist'),
    });
    expect(run.refused.badCron).toEqual({
      code: 'ValidationException',
      message: expect.stringMatching(
        /Invalid ScheduleExpression "cron\(\*\/5 \* \* \* \? \*\)".*cron\(0 \* \? \* \* \*\)/,
      ),
    });
    expect(run.refused.nowWithoutWindow?.message).toContain('NOW needs ScheduleConfig.DataAnalysisStartTime');
    expect(run.refused.uncapturedEndpoint?.message).toContain('Endpoint uncaptured does not capture data');
    expect(run.definitionInUse).toEqual({
      code: 'ResourceInUse',
      message: expect.stringContaining('used by monitoring schedule hourly'),
    });
  });

  it('fails a run over a window with no capture, naming the S3 prefix and the window', () => {
    expect(run.empty.status).toBe('Failed');
    expect(run.empty.failureReason).toMatch(
      /^ClientError: No captured data to analyse: no data-capture file under s3:\/\/monitor\/capture\/drifted\/ has a capture time from \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z to \d{4}-.*Z \(the monitoring window\)/,
    );
    expect(run.empty.schedule).toBe('Failed');
  });

  it('completes without violations on traffic like the training data', () => {
    expect(run.normal).toMatchObject({ status: 'Completed', schedule: 'Completed', violations: [] });
    expect(run.normal.exitMessage).toBe('Completed: Job completed successfully with no violations.');
    expect(run.normal.output).toMatch(
      /^s3:\/\/monitor\/reports\/normal\/normal-now\/\d{4}\/\d\d\/\d\d\/\d\d$/,
    );
    expect(run.normal.statistics?.dataset.item_count).toBeGreaterThan(600);
  });

  it('completes with baseline_drift_check violations naming the two shifted features', () => {
    expect(run.drifted.status).toBe('CompletedWithViolations');
    expect(run.drifted.exitMessage).toBe(
      'CompletedWithViolations: Job completed successfully with 2 violations.',
    );
    expect(run.drifted.violations).toEqual([
      {
        feature_name: '_c1',
        constraint_check_type: 'baseline_drift_check',
        description: expect.stringMatching(/^Baseline drift distance: 0\.\d+ exceeds threshold: 0\.1$/),
      },
      {
        feature_name: '_c4',
        constraint_check_type: 'baseline_drift_check',
        description: expect.stringMatching(/^Baseline drift distance: 0\.\d+ exceeds threshold: 0\.1$/),
      },
    ]);
  });

  it('lists executions, filters them by status, stops and deletes schedules', () => {
    expect(run.executions).toEqual(['drifted-empty', 'normal-now', 'drifted-now']);
    expect(run.violationsOnly).toEqual(['drifted-now']);
    expect(run.hourly).toBe('Scheduled');
    expect(run.stopped).toBe('Stopped');
    expect(run.schedules).toEqual(['drifted-empty', 'drifted-now', 'normal-now']);
  });

  it('deploys AWS::SageMaker::DataQualityJobDefinition and MonitoringSchedule with CloudFormation', () => {
    expect(run.stack).toEqual({
      status: 'CREATE_COMPLETE',
      reason: null,
      outputs: {
        ScheduleArn: 'arn:aws:sagemaker:us-east-1:000000000000:monitoring-schedule/stack-hourly',
        DefinitionArn: 'arn:aws:sagemaker:us-east-1:000000000000:data-quality-job-definition/stack-quality',
      },
      schedule: 'Scheduled',
    });
    expect(run.stackDeleted?.code).toBe('ResourceNotFound');
  });
});

describe("the drift check (src/monitor) on the deployed endpoint's recent capture", () => {
  const check = (endpointName: string) =>
    runDriftCheck({
      sagemaker: t.sagemaker,
      s3: t.s3,
      endpointName,
      baseline: {
        statistics: 's3://monitor/baseline/statistics.json',
        constraints: 's3://monitor/baseline/constraints.json',
      },
      imageUri: '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer',
      roleArn: 'arn:aws:iam::000000000000:role/monitor',
      outputS3Uri: 's3://monitor/drift-checks',
      pollMs: 100,
    } satisfies DriftCheckOptions);

  it('does not dispatch on normal traffic, then dispatches retraining once shifted traffic arrives', async () => {
    const reasons: string[] = [];
    const dispatcher = { dispatch: async (reason: string) => void reasons.push(reason) };
    const normal = await check('normal');
    expect(normal.status).toBe('Completed');
    expect(await retrainOnDrift(normal, { dispatcher })).toMatchObject({ retrain: false });
    expect(reasons).toEqual([]);

    // Drift on demand: the same rows with two features scaled, sent through the project's own code.
    expect(
      await sendShiftedTraffic({
        runtime: t.runtime,
        endpointName: 'normal',
        rows: testRows,
        scale: { _c1: 1.6, _c4: 2 },
      }),
    ).toBe(testRows.length);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // capture is flushed within a second
    const drifted = await check('normal');
    expect(drifted.status).toBe('CompletedWithViolations');
    const decision = await retrainOnDrift(drifted, { dispatcher, limit: 2 });
    expect(decision.retrain).toBe(true);
    expect(reasons).toEqual([
      '2 data-quality violation(s) (limit 2): _c1 baseline_drift_check, _c4 baseline_drift_check',
    ]);
    const c1 = drifted.features.find((feature) => feature.name === '_c1')!;
    expect(c1.distance).toBeGreaterThan(0.1);
    expect(c1.currentMean).toBeGreaterThan(c1.baselineMean!);
    const summary = driftSummaryMarkdown('normal', drifted, decision);
    expect(summary).toContain('## Drift check of normal: CompletedWithViolations');
    expect(summary).toContain('| feature | baseline mean | current mean | distance | threshold | verdict |');
    expect(summary).toMatch(/\| _c1 \| [\d.]+ \| [\d.]+ \| 0\.\d+ \| 0\.1 \| baseline_drift_check \|/);
    expect(summary).toMatch(/\| _c0 \| [\d.]+ \| [\d.]+ \| ≤ threshold \| — \| ok \|/);
    const schedules = await t.sagemaker.send(
      new ListMonitoringSchedulesCommand({ NameContains: 'normal-drift' }),
    );
    expect(schedules.MonitoringScheduleSummaries).toEqual([]);
  });
});
