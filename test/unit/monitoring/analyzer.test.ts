import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { findPython } from '../../../local/runtimes/python';
import { REPO_ROOT } from '../../../pipeline/synth';
import type { Constraints, ConstraintViolations, MetricRecord, Statistics } from '../../../src/monitor/files';

const ANALYZER = path.join(REPO_ROOT, 'pipeline', 'scripts', 'monitor', 'analyzer.py');
const CAPTURE_FORMAT = JSON.stringify({ sagemakerCaptureJson: { captureIndexNames: ['endpointInput'] } });

/** A capture record of one CSV request, as the endpoints write them. */
function captureLine(csv: string, encoding: 'CSV' | 'BASE64' = 'CSV'): string {
  const data = encoding === 'CSV' ? csv : Buffer.from(csv).toString('base64');
  return JSON.stringify({
    captureData: { endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data, encoding } },
    eventMetadata: { eventId: 'e', inferenceTime: '2026-01-01T00:00:00Z' },
    eventVersion: '0',
  });
}

describe('the data-quality analyzer (pipeline/scripts/monitor/analyzer.py)', () => {
  let dir: string;
  const run = (env: Record<string, string>) =>
    execFileSync(findPython(), [ANALYZER], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin', ...env },
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const json = <T>(file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;

  /** Label, an integral, a fractional and a string column; 200 rows. */
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlops-analyzer-'));
    mkdirSync(path.join(dir, 'train'));
    const rows = Array.from(
      { length: 200 },
      (_, i) => `${i % 7},${i % 3},${(i / 10).toFixed(2)},${['a', 'b'][i % 2]}`,
    );
    writeFileSync(path.join(dir, 'train', 'train.csv'), `${rows.join('\n')}\n`);
    run({ dataset_source: 'train', output_path: 'baseline', skip_leading_columns: '1' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a baseline in Model Monitor format, headerless columns named _c0, _c1, ...', () => {
    const statistics = json<Statistics>('baseline/statistics.json');
    expect(statistics.version).toBe(0);
    expect(statistics.dataset).toEqual({ item_count: 200 });
    expect(statistics.features.map((f) => [f.name, f.inferred_type])).toEqual([
      ['_c0', 'Integral'],
      ['_c1', 'Fractional'],
      ['_c2', 'String'],
    ]);
    const numeric = statistics.features[1]!.numerical_statistics!;
    expect(Object.keys(numeric).sort()).toEqual([
      'common',
      'distribution',
      'max',
      'mean',
      'min',
      'std_dev',
      'sum',
    ]);
    expect(numeric.common).toEqual({ num_present: 200, num_missing: 0 });
    expect(numeric.min).toBe(0);
    expect(numeric.max).toBeCloseTo(19.9);
    expect(numeric.distribution.kll.buckets).toHaveLength(10);
    expect(numeric.distribution.kll.sketch.parameters).toEqual({ c: 0.64, k: 2048 });
    expect(statistics.features[2]!.string_statistics!.distribution.categorical.buckets).toEqual(
      expect.arrayContaining([
        { value: 'a', count: 100 },
        { value: 'b', count: 100 },
      ]),
    );
    const constraints = json<Constraints>('baseline/constraints.json');
    expect(constraints.features[0]).toEqual({
      name: '_c0',
      inferred_type: 'Integral',
      completeness: 1,
      num_constraints: { is_non_negative: true },
    });
    expect([...constraints.features[2]!.string_constraints!.domains].sort()).toEqual(['a', 'b']);
    expect(constraints.monitoring_config.distribution_constraints).toMatchObject({
      perform_comparison: 'Enabled',
      comparison_threshold: 0.1,
    });
  });

  const analyse = (name: string, lines: string[]) => {
    mkdirSync(path.join(dir, name, 'AllTraffic', '2026', '01'), { recursive: true });
    writeFileSync(path.join(dir, name, 'AllTraffic', '2026', '01', 'x.jsonl'), `${lines.join('\n')}\n`);
    const stdout = run({
      dataset_format: CAPTURE_FORMAT,
      dataset_source: name,
      output_path: `${name}-out`,
      baseline_statistics: 'baseline/statistics.json',
      baseline_constraints: 'baseline/constraints.json',
      publish_cloudwatch_metrics: 'Enabled',
      metrics_path: `${name}-out/metrics`,
      sagemaker_endpoint_name: 'ep',
      sagemaker_monitoring_schedule_name: 'sched',
    });
    return {
      stdout,
      violations: json<ConstraintViolations>(`${name}-out/constraint_violations.json`).violations,
    };
  };

  it('finds no violation in traffic like the baseline (BASE64 captures decoded too)', () => {
    const lines = Array.from({ length: 200 }, (_, i) =>
      captureLine(
        `${(i + 1) % 3},${((i + 3) / 10).toFixed(2)},${['b', 'a'][i % 2]}`,
        i % 2 ? 'BASE64' : 'CSV',
      ),
    );
    const { stdout, violations } = analyse('normal', lines);
    expect(violations).toEqual([]);
    expect(stdout).toContain('Completed: Job completed successfully with no violations.');
    const metrics = readFileSync(path.join(dir, 'normal-out', 'metrics', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as MetricRecord);
    expect(metrics).toContainEqual({
      MetricName: 'feature_baseline_drift__c1',
      Timestamp: expect.any(String),
      Dimensions: [
        { Name: 'Endpoint', Value: 'ep' },
        { Name: 'MonitoringSchedule', Value: 'sched' },
      ],
      Value: expect.any(Number),
    });
  });

  it('reports drift, type, completeness and extra-column violations in Model Monitor wording', () => {
    const lines = Array.from({ length: 100 }, (_, i) => {
      const integral = i < 10 ? 'x' : String(i % 3);
      const fractional = i < 20 ? '' : String(50 + i);
      return captureLine(`${integral},${fractional},a,${i === 0 ? '9' : ''}`);
    });
    const { stdout, violations } = analyse('broken', lines);
    expect(violations).toEqual([
      {
        feature_name: '',
        constraint_check_type: 'extra_column_check',
        description:
          'There are extra columns in current dataset. Number of columns in current dataset: 4, Number of columns in baseline constraints: 3',
      },
      {
        feature_name: '_c0',
        constraint_check_type: 'data_type_check',
        description:
          'Data type match requirement is not met. Expected data type: Integral, Expected match: 100.0%. Observed: Only 90.0% of data is Integral.',
      },
      {
        feature_name: '_c1',
        constraint_check_type: 'completeness_check',
        description:
          'Data completeness requirement is not met. Expected completeness: 100.0%. Observed: Only 80.0% of data is complete.',
      },
      {
        feature_name: '_c1',
        constraint_check_type: 'baseline_drift_check',
        description: 'Baseline drift distance: 1.0 exceeds threshold: 0.1',
      },
      {
        feature_name: '_c2',
        constraint_check_type: 'baseline_drift_check',
        description: 'Baseline drift distance: 0.5 exceeds threshold: 0.1',
      },
    ]);
    expect(stdout).toContain('CompletedWithViolations: Job completed successfully with 5 violations.');
  });

  it('reports a missing column and names an empty dataset source', () => {
    const { violations } = analyse(
      'narrow',
      Array.from({ length: 50 }, (_, i) => captureLine(`${i % 3},${i / 10}`)),
    );
    expect(violations[0]).toMatchObject({ constraint_check_type: 'missing_column_check' });
    mkdirSync(path.join(dir, 'empty'));
    expect(() => analyse('empty', [])).toThrow(/dataset_source empty holds no data rows/);
  });
});
