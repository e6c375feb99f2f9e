import * as fs from 'node:fs';
import * as path from 'node:path';

import type { RunContext } from '../github/context';
import type { ExecutionResults } from './execution-results';

/**
 * An execution's numbers, flat and named, kept in a small JSON file so a later run can compare itself
 * with it (e.g. a pull request with the last run on its base branch, the file carried in a cache).
 */
export interface MetricsRecord {
  readonly format: typeof METRICS_RECORD_FORMAT;
  readonly executionArn: string;
  readonly status: string;
  /** The commit and ref the run was for, when it ran in a workflow. */
  readonly commit?: string;
  readonly ref?: string;
  readonly runUrl?: string;
  readonly recordedAt: string;
  /** `Train/validation:rmse` (training metrics) and `Evaluate/EvaluationReport/regression_metrics.rmse.value` (property files). */
  readonly metrics: Readonly<Record<string, number>>;
}

export const METRICS_RECORD_FORMAT = 'mlops-metrics/1';

/** Every number the execution produced, named `<step>/<metric>` or `<step>/<property file>/<json path>`. */
export function executionMetrics(
  results: Pick<ExecutionResults, 'metrics' | 'reports'>,
): Record<string, number> {
  const named: Record<string, number> = {};
  for (const metric of results.metrics) named[`${metric.step}/${metric.name}`] = metric.value;
  for (const report of results.reports)
    for (const [leaf, value] of numericLeaves(report.content))
      named[`${report.step}/${report.name}/${leaf}`] = value;
  return named;
}

/** `regression_metrics.rmse.value` → 2.2 for every number in a JSON document. */
export function numericLeaves(value: unknown, at = ''): [string, number][] {
  if (typeof value === 'number') return [[at || 'value', value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => numericLeaves(child, at ? `${at}.${key}` : key));
}

export function metricsRecord(
  execution: { executionArn: string; status: string } & Pick<ExecutionResults, 'metrics' | 'reports'>,
  context: Pick<RunContext, 'sha' | 'ref' | 'runUrl'>,
  now: Date = new Date(),
): MetricsRecord {
  return {
    format: METRICS_RECORD_FORMAT,
    executionArn: execution.executionArn,
    status: execution.status,
    ...(context.sha ? { commit: context.sha } : {}),
    ...(context.ref ? { ref: context.ref } : {}),
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
    recordedAt: now.toISOString(),
    metrics: executionMetrics(execution),
  };
}

/** Writes the record whole or not at all (a temporary file renamed into place). */
export function writeMetricsRecord(file: string, record: MetricsRecord): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

/** Reads a record written by writeMetricsRecord; every error names the file and what is wrong. */
export function readMetricsRecord(file: string): MetricsRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not a metrics record: ${(error as Error).message}`, { cause: error });
  }
  const record = parsed as Partial<MetricsRecord> | null;
  if (typeof record !== 'object' || record === null || record.format !== METRICS_RECORD_FORMAT) {
    throw new Error(
      `${file} is not a metrics record: expected a JSON object with "format": "${METRICS_RECORD_FORMAT}" (written by wait-for-execution's metrics-file)`,
    );
  }
  const metrics: unknown = record.metrics;
  if (
    typeof metrics !== 'object' ||
    metrics === null ||
    Object.values(metrics).some((value) => typeof value !== 'number')
  ) {
    throw new Error(`${file}: "metrics" must map metric names to numbers`);
  }
  if (typeof record.executionArn !== 'string' || typeof record.status !== 'string') {
    throw new Error(`${file}: "executionArn" and "status" must be strings`);
  }
  return record as MetricsRecord;
}
