import type { RunContext } from '../github/context';
import type { MetricsRecord } from '../pipeline/metrics-record';
import { formatNumber } from './format';
import { inlineCode, table } from './markdown';

const SHORT_SHA = 12;

/**
 * This execution's numbers next to a baseline's (on a pull request: the base branch's last run), one
 * row per metric either side has, with the change. No verdict: whether higher is better is the metric's.
 */
export function renderMetricsComparison(
  current: Readonly<Record<string, number>>,
  baseline: MetricsRecord,
  context: Pick<RunContext, 'base'>,
): string {
  const names = [...new Set([...Object.keys(current), ...Object.keys(baseline.metrics)])];
  const rows = names.map((name) => {
    const before = baseline.metrics[name];
    const after = current[name];
    return [
      name,
      before !== undefined ? formatNumber(before) : undefined,
      after !== undefined ? formatNumber(after) : undefined,
      before !== undefined && after !== undefined ? formatChange(before, after) : undefined,
    ];
  });
  const heading = context.base ? 'Metrics against the base branch' : 'Metrics against the baseline';
  return [
    `### ${heading}`,
    `Baseline: ${describeBaseline(baseline, context)} — execution ${inlineCode(baseline.executionArn)} (${baseline.status}).`,
    rows.length > 0 ? table(['Metric', 'Base', 'This run', 'Change'], rows) : 'Neither run has metrics.',
  ].join('\n\n');
}

function describeBaseline(baseline: MetricsRecord, context: Pick<RunContext, 'base'>): string {
  const run = baseline.runUrl ? ` ([run](${baseline.runUrl}))` : '';
  if (!baseline.commit) return `a run recorded ${baseline.recordedAt}${run}`;
  const commit = inlineCode(baseline.commit.slice(0, SHORT_SHA));
  const branch = baseline.ref?.replace(/^refs\/heads\//, '');
  const on = branch ? ` on ${inlineCode(branch)}` : '';
  if (!context.base) return `the run for ${commit}${on}${run}`;
  if (baseline.commit === context.base.sha) return `the run for the base commit ${commit}${run}`;
  return `the newest run saved${on}, for ${commit}${run}; none is saved for the base commit ${inlineCode(context.base.sha.slice(0, SHORT_SHA))}`;
}

function formatChange(before: number, after: number): string {
  const delta = after - before;
  const sign = delta > 0 ? '+' : delta < 0 ? '-' : '±';
  const magnitude = formatNumber(Number(Math.abs(delta).toPrecision(6)));
  const percent = before !== 0 ? ` (${sign}${Math.abs((delta / before) * 100).toFixed(1)}%)` : '';
  return `${sign}${magnitude}${percent}`;
}
