import type { RunContext } from '../github/context';
import { failedChecks, type LimitCheck } from '../pipeline/metric-limits';
import type { MetricsRecord } from '../pipeline/metrics-record';
import { formatNumber } from './format';
import { inlineCode, table } from './markdown';

const SHORT_SHA = 12;

/**
 * This execution's numbers next to a baseline's (on a pull request: the base branch's last run), one
 * row per metric either side has, with the change. A verdict only where a limit says which way is worse.
 */
export function renderMetricsComparison(
  current: Readonly<Record<string, number>>,
  baseline: MetricsRecord,
  options: { readonly context: Pick<RunContext, 'base'>; readonly checks?: readonly LimitCheck[] },
): string {
  const checks = new Map((options.checks ?? []).map((check) => [check.limit.metric, check]));
  const names = [...new Set([...Object.keys(current), ...Object.keys(baseline.metrics)])];
  const rows = names.map((name) => {
    const before = baseline.metrics[name];
    const after = current[name];
    const row = [
      name,
      before !== undefined ? formatNumber(before) : undefined,
      after !== undefined ? formatNumber(after) : undefined,
      before !== undefined && after !== undefined ? formatChange(before, after) : undefined,
    ];
    return checks.size > 0 ? [...row, limitCell(checks.get(name))] : row;
  });
  const header = ['Metric', 'Base', 'This run', 'Change', ...(checks.size > 0 ? ['Limit'] : [])];
  const heading = options.context.base ? 'Metrics against the base branch' : 'Metrics against the baseline';
  return [
    `### ${heading}`,
    `Baseline: ${describeBaseline(baseline, options.context)} — execution ${inlineCode(baseline.executionArn)} (${baseline.status}).`,
    limitsVerdict(options.checks ?? []),
    rows.length > 0 ? table(header, rows) : 'Neither run has metrics.',
  ]
    .filter(Boolean)
    .join('\n\n');
}

function limitCell(check: LimitCheck | undefined): string | undefined {
  if (!check) return undefined;
  const marks: Record<LimitCheck['verdict'], string> = {
    within: '✔',
    exceeded: '✖',
    'not-in-baseline': 'not checked',
    'not-produced': '✖ missing',
  };
  return `${marks[check.verdict]} ${check.limit.text}`;
}

function limitsVerdict(checks: readonly LimitCheck[]): string | undefined {
  if (checks.length === 0) return undefined;
  const failed = failedChecks(checks);
  if (failed.length === 0) return `**Within every limit** (${checks.length}).`;
  return `**${failed.length} of ${checks.length} limits exceeded:**\n${failed.map((check) => `- ${check.message}`).join('\n')}`;
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
