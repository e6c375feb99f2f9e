import { definitionGraph } from '../../pipeline/graph';
import type { PropertyFileReport } from '../pipeline/execution-results';
import type { RunContext } from '../github/context';
import type { LimitCheck } from '../pipeline/metric-limits';
import { executionMetrics, numericLeaves, type MetricsRecord } from '../pipeline/metrics-record';
import type { StepView } from '../pipeline/steps';
import type { ExecutionReport } from '../pipeline/wait';
import { formatDuration, formatNumber } from './format';
import { cell, codeBlock, details, inlineCode, sections, table } from './markdown';
import { renderMetricsComparison } from './metrics-comparison';
import { renderMermaid } from './mermaid';
import { statusIcon } from './progress';

export interface ExecutionSummaryOptions {
  /** Lines saying where to look when a step failed (console links or the local job log). */
  readonly whereToLook?: readonly string[];
  readonly timeoutMinutes?: number;
  /** An earlier run's metrics to compare with (e.g. the base branch's last run). */
  readonly baseline?: {
    readonly record: MetricsRecord;
    readonly context: Pick<RunContext, 'base'>;
    /** Limits checked against it (`max-regression`). */
    readonly checks?: readonly LimitCheck[];
  };
}

/** The job summary of a finished (or abandoned) wait: outcome, metrics against a baseline, DAG coloured by status, steps, metrics, reports, model. */
export function renderExecutionSummary(
  report: ExecutionReport,
  options: ExecutionSummaryOptions = {},
): string {
  return sections(
    `## ${statusIcon(report.status)} Pipeline execution ${headline(report, options)}`,
    facts(report),
    failure(report, options),
    // First after the outcome: on a pull request, how the numbers moved is what a reviewer asks.
    options.baseline &&
      renderMetricsComparison(executionMetrics(report), options.baseline.record, {
        context: options.baseline.context,
        ...(options.baseline.checks ? { checks: options.baseline.checks } : {}),
      }),
    dag(report),
    stepsTable(report.steps),
    metrics(report),
    ...report.reports.map(propertyFile),
    lambdaOutputs(report),
  );
}

function headline(report: ExecutionReport, options: ExecutionSummaryOptions): string {
  if (report.outcome === 'timed-out') {
    const after = options.timeoutMinutes !== undefined ? ` after ${options.timeoutMinutes} minutes` : '';
    return `timed out${after} (${report.stopRequested ? `stop requested, now ${report.status}` : `still ${report.status}`})`;
  }
  if (report.outcome === 'cancelled')
    return `cancelled with the workflow (${report.stopRequested ? 'stop requested' : 'left running'})`;
  return report.status;
}

function facts(report: ExecutionReport): string {
  const rows: [string, string | undefined][] = [
    ['Execution', inlineCode(report.executionArn)],
    ['Display name', report.displayName],
    ['Status', report.status],
    ['Duration', formatDuration(report.durationSeconds)],
    [
      'Model package',
      report.modelPackageArn &&
        `${inlineCode(report.modelPackageArn)} (${report.modelPackageStatus ?? 'status unknown'})`,
    ],
    ['Model', report.modelName && inlineCode(report.modelName)],
  ];
  return rows
    .filter((row): row is [string, string] => row[1] !== undefined)
    .map(([name, value]) => `- **${name}:** ${value}`)
    .join('\n');
}

function failure(report: ExecutionReport, options: ExecutionSummaryOptions): string | undefined {
  if (!report.failedStep && !report.failureReason) return undefined;
  const step = report.failedStep
    ? `Step **${cell(report.failedStep.name)}** failed.`
    : 'The execution failed.';
  const reason = report.failureReason ? codeBlock('text', report.failureReason) : '';
  const look = (options.whereToLook ?? []).map((line) => `- ${line}`).join('\n');
  return `### Failure\n\n${step}\n\n${reason}${look ? `\n\n${look}` : ''}`;
}

function dag(report: ExecutionReport): string | undefined {
  if (report.definition === undefined) return undefined;
  const statuses = new Map(report.steps.map((step) => [step.name, step.status]));
  const notes = new Map(
    report.steps.flatMap((step) =>
      step.durationSeconds !== undefined ? [[step.name, formatDuration(step.durationSeconds)]] : [],
    ),
  );
  return `### Pipeline\n\n${codeBlock('mermaid', renderMermaid(definitionGraph(report.definition), { statuses, notes }))}`;
}

function stepsTable(steps: readonly StepView[]): string {
  if (steps.length === 0) return '### Steps\n\nNo step has started.';
  const rows = steps.map((step) => [
    step.name,
    step.kind,
    `${statusIcon(step.status)} ${step.status}`,
    formatDuration(step.durationSeconds),
    step.attempts,
    step.cacheSource ? `yes (${step.cacheSource.slice(step.cacheSource.lastIndexOf('/') + 1)})` : 'no',
    step.resourceArn,
  ]);
  return `### Steps\n\n${table(['Step', 'Type', 'Status', 'Duration', 'Attempts', 'Cache hit', 'Resource'], rows)}`;
}

function metrics(report: ExecutionReport): string | undefined {
  if (report.metrics.length === 0) return undefined;
  return `### Training metrics\n\n${table(
    ['Step', 'Metric', 'Value'],
    report.metrics.map((metric) => [metric.step, metric.name, formatNumber(metric.value)]),
  )}`;
}

function propertyFile(file: PropertyFileReport): string {
  const leaves = numericLeaves(file.content);
  const body =
    leaves.length > 0
      ? table(
          ['Metric', 'Value'],
          leaves.map(([path, value]) => [path, formatNumber(value)]),
        )
      : '';
  return `### ${file.name} (${file.step})\n\n${body}\n\n${details(`${file.uri}`, codeBlock('json', JSON.stringify(file.content, null, 2)))}`;
}

function lambdaOutputs(report: ExecutionReport): string | undefined {
  if (report.lambdaOutputs.length === 0) return undefined;
  return `### Lambda outputs\n\n${table(
    ['Step', 'Output', 'Value'],
    report.lambdaOutputs.map((output) => [output.step, output.name, output.value]),
  )}`;
}
