import { parseMetricLimits, type MetricLimit } from '../../pipeline/metric-limits';
import { readMetricsRecord, type MetricsRecord } from '../../pipeline/metrics-record';
import type { PollBounds } from '../../pipeline/poll-interval';
import { InputError, type Inputs } from '../inputs';
import { PATTERNS } from '../../aws/name-patterns';
import { readPrCommentInputs, type PrCommentSettings } from '../pr-comment';

export interface WaitInputs {
  readonly executionArn: string;
  readonly timeoutMinutes: number;
  readonly poll: PollBounds;
  readonly stopOnTimeout: boolean;
  readonly stopOnCancel: boolean;
  readonly prComment?: PrCommentSettings;
  /** Where to write this execution's metrics record. */
  readonly metricsFile?: string;
  /** An earlier run's metrics record to compare with; read before anything is written. */
  readonly baseline?: MetricsRecord;
  /** How far metrics may move against the baseline before the step fails. */
  readonly limits: readonly MetricLimit[];
}

export const DEFAULT_TIMEOUT_MINUTES = 120;
export const DEFAULT_POLL = '5-30';

export function readWaitInputs(inputs: Inputs): WaitInputs {
  const executionArn = inputs.matching(
    'execution-arn',
    PATTERNS.executionArn.pattern,
    PATTERNS.executionArn.expected,
    { required: true },
  );
  const timeoutMinutes = inputs.number(
    'timeout-minutes',
    { above: 0, expected: 'a number of minutes greater than 0 (fractions allowed, e.g. 0.5 for 30 seconds)' },
    DEFAULT_TIMEOUT_MINUTES,
  );
  const prComment = readPrCommentInputs(inputs);
  const metricsFile = inputs.optional('metrics-file');
  const baseline = readBaseline(inputs);
  const limits = readLimits(inputs);
  return {
    executionArn,
    timeoutMinutes,
    poll: readPollBounds(inputs.optional('poll-interval-seconds') ?? DEFAULT_POLL),
    stopOnTimeout: inputs.boolean('stop-on-timeout', false),
    stopOnCancel: inputs.boolean('stop-on-cancel', true),
    ...(prComment ? { prComment } : {}),
    ...(metricsFile !== undefined ? { metricsFile } : {}),
    ...(baseline ? { baseline } : {}),
    limits,
  };
}

function readLimits(inputs: Inputs): MetricLimit[] {
  try {
    return parseMetricLimits(inputs.stringMap('max-regression'));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError('max-regression', (error as Error).message);
  }
}

function readBaseline(inputs: Inputs): MetricsRecord | undefined {
  const file = inputs.file('baseline-metrics-file');
  if (file === undefined) return undefined;
  try {
    return readMetricsRecord(file);
  } catch (error) {
    throw new InputError('baseline-metrics-file', (error as Error).message);
  }
}

const NUMBER = '(\\d+(?:\\.\\d+)?|\\.\\d+)';
const BOUNDS = new RegExp(`^${NUMBER}(?:\\s*[-,]\\s*${NUMBER})?$`);

/** `10` (fixed) or `5-30` / `5,30` (min-max): seconds, fractions allowed, min > 0, max >= min. */
export function readPollBounds(value: string): PollBounds {
  const match = BOUNDS.exec(value.trim());
  const expected =
    'seconds as "min-max" (e.g. 5-30) or one number; fractions allowed; min greater than 0 and max at least min';
  if (!match) throw new InputError('poll-interval-seconds', `expected ${expected}; got "${value}"`);
  const minSeconds = Number(match[1]);
  const maxSeconds = match[2] !== undefined ? Number(match[2]) : minSeconds;
  if (!(minSeconds > 0) || maxSeconds < minSeconds)
    throw new InputError('poll-interval-seconds', `expected ${expected}; got "${value}"`);
  return { minSeconds, maxSeconds };
}
