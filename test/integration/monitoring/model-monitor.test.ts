import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { findPython } from '../../../local/runtimes/python';
import type { Constraints, Statistics, Violation } from '../../../src/monitor/files';
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
}

let t: TestAws;
let run: MonitorRun;

beforeAll(async () => {
  t = await startTestAws();
  const model = await buildAbaloneModel(path.join(t.dir, 'model'));
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
});
