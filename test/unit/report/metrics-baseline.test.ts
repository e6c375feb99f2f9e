import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  metricsRecord,
  readMetricsRecord,
  writeMetricsRecord,
  type MetricsRecord,
} from '../../../src/pipeline/metrics-record';
import { renderMetricsComparison } from '../../../src/report/metrics-comparison';

const execution = {
  executionArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/new',
  status: 'Succeeded',
  metrics: [{ step: 'Train', name: 'validation:rmse', value: 2.1 }],
  reports: [
    {
      step: 'Evaluate',
      name: 'EvaluationReport',
      uri: 's3://b/evaluation.json',
      content: {
        regression_metrics: { rmse: { value: 2.0, standard_deviation: 'n/a' }, r2: { value: 0.5 } },
      },
    },
  ],
};
const context = {
  sha: 'c'.repeat(40),
  ref: 'refs/pull/7/merge',
  runUrl: 'https://github.com/o/r/actions/runs/1',
};
const current = metricsRecord(execution, context, new Date('2026-11-25T08:00:00Z')).metrics;

const baseline = (extra: Partial<MetricsRecord> = {}): MetricsRecord => ({
  format: 'mlops-metrics/1',
  executionArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/old',
  status: 'Succeeded',
  commit: 'a'.repeat(40),
  ref: 'refs/heads/main',
  recordedAt: '2026-11-24T08:00:00.000Z',
  metrics: {
    'Train/validation:rmse': 2.5,
    'Evaluate/EvaluationReport/regression_metrics.rmse.value': 2.0,
    'Evaluate/EvaluationReport/regression_metrics.mae.value': 1.5,
  },
  ...extra,
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a record names every number by step, then metric or property file and JSON path', () => {
  const record = metricsRecord(execution, context, new Date('2026-11-25T08:00:00Z'));
  expect(record).toEqual({
    format: 'mlops-metrics/1',
    executionArn: execution.executionArn,
    status: 'Succeeded',
    commit: context.sha,
    ref: context.ref,
    runUrl: context.runUrl,
    recordedAt: '2026-11-25T08:00:00.000Z',
    metrics: {
      'Train/validation:rmse': 2.1,
      'Evaluate/EvaluationReport/regression_metrics.rmse.value': 2.0,
      'Evaluate/EvaluationReport/regression_metrics.r2.value': 0.5,
    },
  });
});

test('records are written whole (folders created) and read back; anything else is refused by name', () => {
  const file = path.join(dir, 'nested', 'metrics.json');
  const record = metricsRecord(execution, {});
  writeMetricsRecord(file, record);
  expect(fs.readdirSync(path.dirname(file))).toEqual(['metrics.json']);
  expect(readMetricsRecord(file)).toEqual(record);

  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{"rmse": 2');
  expect(() => readMetricsRecord(bad)).toThrow(`${bad} is not a metrics record: `);
  fs.writeFileSync(bad, JSON.stringify({ rmse: 2 }));
  expect(() => readMetricsRecord(bad)).toThrow('expected a JSON object with "format": "mlops-metrics/1"');
  fs.writeFileSync(bad, JSON.stringify({ ...record, metrics: { rmse: '2' } }));
  expect(() => readMetricsRecord(bad)).toThrow(`${bad}: "metrics" must map metric names to numbers`);
});

test('on a pull request whose base commit has a run: every metric either side has, with the change', () => {
  const text = renderMetricsComparison(current, baseline(), {
    context: { base: { ref: 'main', sha: 'a'.repeat(40) } },
  });
  expect(text).toContain('### Metrics against the base branch');
  expect(text).toContain('Baseline: the run for the base commit `aaaaaaaaaaaa` — execution');
  expect(text).toContain('| Train/validation:rmse | 2.5 | 2.1 | -0.4 (-16.0%) |');
  expect(text).toContain('| Evaluate/EvaluationReport/regression_metrics.rmse.value | 2 | 2 | ±0 (±0.0%) |');
  expect(text).toContain('| Evaluate/EvaluationReport/regression_metrics.r2.value | — | 0.5 | — |');
  expect(text).toContain('| Evaluate/EvaluationReport/regression_metrics.mae.value | 1.5 | — | — |');
});

test('says when the baseline is only the newest run saved on the branch, not the base commit’s', () => {
  const text = renderMetricsComparison(
    current,
    baseline({ runUrl: 'https://github.com/o/r/actions/runs/9' }),
    { context: { base: { ref: 'main', sha: 'b'.repeat(40) } } },
  );
  expect(text).toContain(
    'Baseline: the newest run saved on `main`, for `aaaaaaaaaaaa` ([run](https://github.com/o/r/actions/runs/9)); none is saved for the base commit `bbbbbbbbbbbb`',
  );
});

test('outside a pull request the baseline is named by its commit, or by when it was recorded', () => {
  expect(renderMetricsComparison(current, baseline(), { context: {} })).toContain(
    '### Metrics against the baseline\n\nBaseline: the run for `aaaaaaaaaaaa` on `main`',
  );
  const { commit: _commit, ref: _ref, ...anonymous } = baseline();
  expect(renderMetricsComparison({}, { ...anonymous, metrics: {} }, { context: {} })).toContain(
    'Baseline: a run recorded 2026-11-24T08:00:00.000Z — execution',
  );
  expect(renderMetricsComparison({}, { ...anonymous, metrics: {} }, { context: {} })).toContain(
    'Neither run has metrics.',
  );
});
