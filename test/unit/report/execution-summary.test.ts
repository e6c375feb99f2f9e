import type { ExecutionReport } from '../../../src/pipeline/wait';
import { numericLeaves } from '../../../src/pipeline/metrics-record';
import { renderExecutionSummary } from '../../../src/report/execution-summary';

const definition = {
  Version: '2020-12-01',
  Steps: [
    { Name: 'Train', Type: 'Training', Arguments: {} },
    { Name: 'Gate', Type: 'Fail', Arguments: { ErrorMessage: 'x' }, DependsOn: ['Train'] },
  ],
};

const base: ExecutionReport = {
  executionArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e1',
  status: 'Failed',
  outcome: 'finished',
  stopRequested: false,
  steps: [
    { name: 'Train', status: 'Succeeded', kind: 'TrainingJob', durationSeconds: 61, attempts: 1 },
    { name: 'Gate', status: 'Failed', kind: 'Fail', failureReason: 'rmse 3.1 > 2 | too high' },
  ],
  failedStep: { name: 'Gate', status: 'Failed', failureReason: 'rmse 3.1 > 2 | too high' },
  failureReason: 'rmse 3.1 > 2 | too high',
  durationSeconds: 75,
  definition,
  lambdaOutputs: [],
  metrics: [{ step: 'Train', name: 'validation:rmse', value: 2.2345678 }],
  reports: [
    {
      step: 'Evaluate',
      name: 'EvaluationReport',
      uri: 's3://b/k/evaluation.json',
      content: { regression_metrics: { rmse: { value: 2.2 } } },
    },
  ],
  problems: [],
};

test('a failed execution shows the failing step, its reason, where to look, the coloured DAG and the steps', () => {
  const text = renderExecutionSummary(base, { whereToLook: ['Logs: https://console/x'] });
  expect(text).toContain('## ✖ Pipeline execution Failed');
  expect(text).toContain('Step **Gate** failed.');
  expect(text).toContain('rmse 3.1 > 2 | too high');
  expect(text).toContain('- Logs: https://console/x');
  expect(text).toContain('```mermaid');
  expect(text).toContain('class s1 failed');
  expect(text).toContain('| Train | TrainingJob | ✔ Succeeded | 1m 1s | 1 | no | — |');
  expect(text).toContain('| Gate | Fail | ✖ Failed | — | — | no | — |');
  expect(text).toContain('| Train | validation:rmse | 2.23457 |');
  expect(text).toContain('| regression_metrics.rmse.value | 2.2 |');
});

test('a timed-out wait says so and whether a stop was requested', () => {
  const text = renderExecutionSummary(
    { ...base, status: 'Stopped', outcome: 'timed-out', stopRequested: true },
    { timeoutMinutes: 0.05 },
  );
  expect(text).toContain('timed out after 0.05 minutes (stop requested, now Stopped)');
});

test('numeric leaves of a report are listed with their paths', () => {
  expect(numericLeaves({ a: { b: 1, c: 'x', d: [2] }, e: 3 })).toEqual([
    ['a.b', 1],
    ['a.d.0', 2],
    ['e', 3],
  ]);
});

test('with a baseline, the metrics against it come right after the outcome, before the DAG', () => {
  const { failedStep: _step, failureReason: _reason, ...succeeded } = base;
  const text = renderExecutionSummary(
    { ...succeeded, status: 'Succeeded' },
    {
      baseline: {
        record: {
          format: 'mlops-metrics/1',
          executionArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e0',
          status: 'Succeeded',
          recordedAt: '2026-11-24T00:00:00.000Z',
          metrics: { 'Train/validation:rmse': 2.5 },
        },
        context: {},
      },
    },
  );
  expect(text).toContain('| Train/validation:rmse | 2.5 | 2.23457 | -0.265432 (-10.6%) |');
  expect(text.indexOf('### Metrics against the baseline')).toBeLessThan(text.indexOf('### Pipeline'));
});
