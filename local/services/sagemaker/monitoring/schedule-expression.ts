import { validationError } from '../../../core/errors';

/**
 * A monitoring schedule's ScheduleExpression as SageMaker accepts it: `NOW` (one run, at once) or one of
 * the hourly cron forms — `cron(0 * ? * * *)` (every hour), `cron(0 H ? * * *)` (daily at hour H),
 * `cron(0 H/N ? * * *)` (every N hours from hour H). All times are UTC.
 */
export type ScheduleExpression =
  | { readonly kind: 'now' }
  | { readonly kind: 'hourly'; readonly startHour: number; readonly everyHours: number };

const HOUR_MS = 3_600_000;
/** A window may span at most 24 hours. */
const MAX_WINDOW_MS = 24 * HOUR_MS;
const CRON = /^cron\(0 (\*|\d{1,2})(?:\/(\d{1,2}))? \? \* \* \*\)$/;

export function parseScheduleExpression(expression: unknown): ScheduleExpression {
  const text = typeof expression === 'string' ? expression.trim() : '';
  if (text === 'NOW') return { kind: 'now' };
  const match = CRON.exec(text);
  const hour = match?.[1] === '*' ? 0 : Number(match?.[1]);
  const every = match?.[1] === '*' ? 1 : match?.[2] === undefined ? 24 : Number(match[2]);
  if (!match || hour > 23 || every < 1 || every > 24 || (match[1] === '*' && match[2] !== undefined)) {
    throw validationError(
      `Invalid ScheduleExpression ${JSON.stringify(expression)} at 'MonitoringScheduleConfig.ScheduleConfig.ScheduleExpression': expected NOW, cron(0 * ? * * *) (hourly), cron(0 H ? * * *) (daily at hour H, 0-23) or cron(0 H/N ? * * *) (every N hours, 1-24, from hour H)`,
    );
  }
  return { kind: 'hourly', startHour: hour, everyHours: every };
}

/** The next time after `from` a cron schedule runs (UTC): hours H, H+N, ... of each day. */
export function nextRun(schedule: Extract<ScheduleExpression, { kind: 'hourly' }>, from: Date): Date {
  const runsAt = (hour: number) =>
    hour >= schedule.startHour && (hour - schedule.startHour) % schedule.everyHours === 0;
  const next = new Date(from);
  next.setUTCMinutes(0, 0, 0);
  do next.setUTCHours(next.getUTCHours() + 1);
  while (!runsAt(next.getUTCHours()));
  return next;
}

/**
 * An offset such as `-PT1H` or `-PT0H` (DataAnalysisStartTime/EndTime: whole hours before the scheduled
 * time, as SageMaker takes them) in milliseconds, or a ValidationException naming the member.
 */
export function parseOffset(member: string, value: unknown): number {
  const match = typeof value === 'string' ? /^-PT(\d+)H$/.exec(value) : null;
  if (!match) {
    throw validationError(
      `Invalid ${member} ${JSON.stringify(value)}: expected an offset in whole hours before the scheduled time, e.g. -PT1H or -PT0H`,
    );
  }
  return -Number(match[1]) * HOUR_MS;
}

/** The analysis window of a run scheduled at `scheduled`: the offsets, or by default the hour before it. */
export function analysisWindow(
  config: {
    readonly DataAnalysisStartTime?: string | undefined;
    readonly DataAnalysisEndTime?: string | undefined;
  },
  scheduled: Date,
): { readonly start: Date; readonly end: Date } {
  const start =
    config.DataAnalysisStartTime === undefined
      ? -3_600_000
      : parseOffset('DataAnalysisStartTime', config.DataAnalysisStartTime);
  const end =
    config.DataAnalysisEndTime === undefined
      ? 0
      : parseOffset('DataAnalysisEndTime', config.DataAnalysisEndTime);
  return { start: new Date(scheduled.getTime() + start), end: new Date(scheduled.getTime() + end) };
}

/** Checks a ScheduleConfig as CreateMonitoringSchedule does: NOW needs both offsets, the window must not be empty. */
export function checkScheduleConfig(config: {
  readonly ScheduleExpression?: string | undefined;
  readonly DataAnalysisStartTime?: string | undefined;
  readonly DataAnalysisEndTime?: string | undefined;
}): ScheduleExpression {
  const expression = parseScheduleExpression(config.ScheduleExpression);
  if (
    expression.kind === 'now' &&
    (config.DataAnalysisStartTime === undefined || config.DataAnalysisEndTime === undefined)
  ) {
    throw validationError(
      'ScheduleExpression NOW needs ScheduleConfig.DataAnalysisStartTime and DataAnalysisEndTime (e.g. -PT1H and -PT0H): a one-time run analyses that window',
    );
  }
  const now = new Date();
  const window = analysisWindow(config, now);
  const span = `DataAnalysisStartTime ${config.DataAnalysisStartTime ?? '(default -PT1H)'} to DataAnalysisEndTime ${config.DataAnalysisEndTime ?? '(default -PT0H)'}`;
  if (window.end <= window.start)
    throw validationError(`Empty monitoring window ${span}: the end must come after the start`);
  if (window.end.getTime() - window.start.getTime() > MAX_WINDOW_MS)
    throw validationError(`Monitoring window ${span} spans more than 24 hours`);
  return expression;
}
