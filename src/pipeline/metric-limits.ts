import { formatNumber } from '../report/format';
import type { MetricsRecord } from './metrics-record';

/**
 * How far a metric may move against the baseline before the run counts as a regression: an error that
 * may rise by at most 2 % (`+2%`), a score that may fall by at most 0.01 (`-0.01`).
 */
export interface MetricLimit {
  readonly metric: string;
  /** The direction that is worse. */
  readonly worse: 'rise' | 'fall';
  readonly amount: number;
  readonly relative: boolean;
  /** As written, e.g. `+2%`. */
  readonly text: string;
}

export interface LimitCheck {
  readonly limit: MetricLimit;
  readonly verdict: 'within' | 'exceeded' | 'not-in-baseline' | 'not-produced';
  /** One sentence for logs and the failure message. */
  readonly message: string;
}

const LIMIT = /^([+-]?)(\d+(?:\.\d+)?|\.\d+)(%?)$/;

/** `{metric: "+2%" | "-0.01" | 0.5}` (no sign = may rise); throws naming the metric and what is expected. */
export function parseMetricLimits(map: Readonly<Record<string, string>>): MetricLimit[] {
  return Object.entries(map).map(([metric, raw]) => {
    const text = raw.trim();
    const match = LIMIT.exec(text);
    if (!match) {
      throw new Error(
        `the limit of "${metric}" must be a change such as +2% or +0.05 (may rise by at most) or -1% (may fall by at most); got "${raw}"`,
      );
    }
    return {
      metric,
      worse: match[1] === '-' ? 'fall' : 'rise',
      amount: Number(match[2]),
      relative: match[3] === '%',
      text,
    };
  });
}

/** Each limit against this run's metrics and the baseline's. */
export function checkMetricLimits(
  current: Readonly<Record<string, number>>,
  baseline: MetricsRecord,
  limits: readonly MetricLimit[],
): LimitCheck[] {
  return limits.map((limit) => {
    const after = current[limit.metric];
    const before = baseline.metrics[limit.metric];
    if (after === undefined)
      return {
        limit,
        verdict: 'not-produced',
        message: `${limit.metric}: this execution did not produce it (see the metric names in the summary)`,
      };
    if (before === undefined)
      return {
        limit,
        verdict: 'not-in-baseline',
        message: `${limit.metric}: the baseline does not have it, so its limit ${limit.text} is not checked`,
      };
    const allowed = limit.relative ? (Math.abs(before) * limit.amount) / 100 : limit.amount;
    const worsening = limit.worse === 'rise' ? after - before : before - after;
    // A little floating-point slack, so a change of exactly the limit (2.0 → 2.04 at +2%) is within it.
    const exceeded = worsening > allowed + 4 * Number.EPSILON * Math.max(1, Math.abs(before));
    const moved = `${formatNumber(before)} → ${formatNumber(after)}`;
    return {
      limit,
      verdict: exceeded ? 'exceeded' : 'within',
      message: `${limit.metric}: ${moved}, ${exceeded ? 'beyond' : 'within'} the limit ${limit.text}`,
    };
  });
}

/** The checks that fail the step: beyond the limit, or a limited metric the execution did not produce. */
export function failedChecks(checks: readonly LimitCheck[]): LimitCheck[] {
  return checks.filter((check) => check.verdict === 'exceeded' || check.verdict === 'not-produced');
}
