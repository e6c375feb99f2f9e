import { checkMetricLimits, parseMetricLimits } from '../../../src/pipeline/metric-limits';
import type { MetricsRecord } from '../../../src/pipeline/metrics-record';
import { renderMetricsComparison } from '../../../src/report/metrics-comparison';

const RMSE = 'Evaluate/EvaluationReport/regression_metrics.rmse.value';
const R2 = 'Evaluate/EvaluationReport/regression_metrics.r2.value';
const baseline: MetricsRecord = {
  format: 'mlops-metrics/1',
  executionArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/old',
  status: 'Succeeded',
  recordedAt: '2026-11-24T08:00:00.000Z',
  metrics: { [RMSE]: 2.0, [R2]: 0.5 },
};

test('limits: a sign says which way is worse (none = a rise), a % makes it relative to the baseline', () => {
  expect(parseMetricLimits({ [RMSE]: '+2%', [R2]: '-0.01', other: '0.5' })).toEqual([
    { metric: RMSE, worse: 'rise', amount: 2, relative: true, text: '+2%' },
    { metric: R2, worse: 'fall', amount: 0.01, relative: false, text: '-0.01' },
    { metric: 'other', worse: 'rise', amount: 0.5, relative: false, text: '0.5' },
  ]);
  for (const bad of ['2 %', 'lower', '+-1', '5%%', ''])
    expect(() => parseMetricLimits({ [RMSE]: bad })).toThrow(
      `the limit of "${RMSE}" must be a change such as +2%`,
    );
});

test('each limit is within, exceeded, not produced by this run or not in the baseline', () => {
  const limits = parseMetricLimits({ [RMSE]: '+2%', [R2]: '-0.01', missing: '+1', 'Train/new': '+1' });
  const checks = checkMetricLimits({ [RMSE]: 2.05, [R2]: 0.495, 'Train/new': 3 }, baseline, limits);
  expect(checks.map((check) => [check.limit.metric, check.verdict])).toEqual([
    [RMSE, 'exceeded'],
    [R2, 'within'],
    ['missing', 'not-produced'],
    ['Train/new', 'not-in-baseline'],
  ]);
  expect(checks[0]?.message).toBe(`${RMSE}: 2 → 2.05, beyond the limit +2%`);
  expect(checkMetricLimits({ [RMSE]: 2.04 }, baseline, limits.slice(0, 1))[0]?.verdict).toBe('within');
  expect(checkMetricLimits({ [RMSE]: 1.0 }, baseline, limits.slice(0, 1))[0]?.verdict).toBe('within');
});

test('the comparison marks limited metrics and leads with the verdict', () => {
  const limits = parseMetricLimits({ [RMSE]: '+2%', [R2]: '-0.01' });
  const current = { [RMSE]: 2.05, [R2]: 0.6 };
  const text = renderMetricsComparison(current, baseline, {
    context: {},
    checks: checkMetricLimits(current, baseline, limits),
  });
  expect(text).toContain(`**1 of 2 limits exceeded:**\n- ${RMSE}: 2 → 2.05, beyond the limit +2%`);
  expect(text).toContain('| Metric | Base | This run | Change | Limit |');
  expect(text).toContain(`| ${RMSE} | 2 | 2.05 | +0.05 (+2.5%) | ✖ +2% |`);
  expect(text).toContain(`| ${R2} | 0.5 | 0.6 | +0.1 (+20.0%) | ✔ -0.01 |`);
});
