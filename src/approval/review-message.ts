import { formatNumber } from '../report/format';

/** One package as the approvers' message shows it: where it is and what its evaluation report says. */
export interface ReviewedPackage {
  readonly arn: string;
  readonly version?: number;
  /** The evaluation report (ModelMetrics.ModelQuality.Statistics.S3Uri), if the package names one. */
  readonly reportUri?: string;
  /** Every number of the report, by JSON path (`regression_metrics.rmse.value`); absent if unreadable. */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Why the metrics are missing (no report, or it could not be read). */
  readonly metricsProblem?: string;
}

/** What the approvers need to decide on a package that awaits review. */
export interface ReviewFacts {
  readonly groupName: string;
  readonly candidate: ReviewedPackage;
  /** The package the endpoint serves now; undefined when no model is deployed yet. */
  readonly serving: ReviewedPackage | undefined;
  /** The endpoint stack the serving package was read from. */
  readonly stackName: string;
  /** Where the commands must point: the CLI's `--target aws`, or the local AWS. */
  readonly target: 'aws' | 'local';
  readonly region: string;
}

export interface ReviewMessage {
  /** SNS e-mail subjects: at most 100 printable ASCII characters. */
  readonly subject: string;
  readonly text: string;
}

/** Metric names where lower is better, and where higher is; anything else is only "changed". */
const LOWER_IS_BETTER = /(^|[^a-z])(rmse|mse|mae|mape|loss|error)([^a-z]|$)/i;
const HIGHER_IS_BETTER = /(^|[^a-z])(r2|accuracy|auc|f1|precision|recall)([^a-z]|$)/i;
const MAX_SUBJECT = 100;

/**
 * The approvers' message for a package that awaits review (one module for both homes: the notifier
 * Lambda on AWS e-mails it through SNS, the local AWS keeps it on disk and `mlops` prints it): the
 * package, its metrics against the package serving now (better or worse, metric by metric), and the
 * commands that approve or reject it.
 */
export function reviewMessage(facts: ReviewFacts): ReviewMessage {
  const { candidate } = facts;
  const version = candidate.version !== undefined ? `version ${candidate.version} of ` : '';
  const text = [
    `Model package ${candidate.arn} (${version}${facts.groupName}) awaits review.`,
    comparisonSection(facts),
    reportsSection(facts),
    commandsSection(facts),
  ]
    .filter(Boolean)
    .join('\n\n');
  return { subject: subjectOf(facts), text: `${text}\n` };
}

function subjectOf(facts: ReviewFacts): string {
  const rmse = headline(facts);
  const subject = `Review model ${facts.groupName} v${facts.candidate.version ?? '?'}${rmse ? `: ${rmse}` : ''}`;
  // SNS refuses subjects with control characters or over 100 characters.
  return subject.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_SUBJECT);
}

/** `RMSE 2.07 vs 2.31 deployed` (or `RMSE 2.07, nothing deployed`) for the subject line. */
function headline(facts: ReviewFacts): string | undefined {
  const [name, value] =
    Object.entries(summaryMetrics(facts.candidate.metrics)).find(([metric]) =>
      LOWER_IS_BETTER.test(metric),
    ) ?? [];
  if (name === undefined || value === undefined) return undefined;
  const label = name.toUpperCase();
  if (!facts.serving) return `${label} ${formatNumber(value)}, nothing deployed yet`;
  const deployed = summaryMetrics(facts.serving.metrics)[name];
  return deployed === undefined
    ? `${label} ${formatNumber(value)}`
    : `${label} ${formatNumber(value)} vs ${formatNumber(deployed)} deployed`;
}

function comparisonSection(facts: ReviewFacts): string {
  const candidate = summaryMetrics(facts.candidate.metrics);
  if (!facts.serving) {
    return [
      `No model is deployed yet (the stack ${facts.stackName} serves no model package), so there is nothing to compare with.`,
      ...metricLines(candidate),
      ...problemLines(facts.candidate, 'this package'),
    ].join('\n');
  }
  if (facts.serving.arn === facts.candidate.arn)
    return `This package is the one deployed now (stack ${facts.stackName}).`;
  const deployed = summaryMetrics(facts.serving.metrics);
  const names = [...new Set([...Object.keys(candidate), ...Object.keys(deployed)])];
  return [
    `Its metrics against the deployed model ${facts.serving.arn} (stack ${facts.stackName}):`,
    ...names.map((name) => comparisonLine(name, candidate[name], deployed[name])),
    ...problemLines(facts.candidate, 'this package'),
    ...problemLines(facts.serving, 'the deployed package'),
  ].join('\n');
}

function comparisonLine(name: string, candidate: number | undefined, deployed: number | undefined): string {
  const show = (value: number | undefined) => (value === undefined ? 'n/a' : formatNumber(value));
  const line = `  ${name}: ${show(candidate)} vs ${show(deployed)} deployed`;
  if (candidate === undefined || deployed === undefined) return line;
  return `${line} (${verdict(name, candidate, deployed)})`;
}

function verdict(name: string, candidate: number, deployed: number): string {
  if (candidate === deployed) return 'the same';
  const delta = candidate - deployed;
  const change = `${delta > 0 ? '+' : '-'}${formatNumber(Number(Math.abs(delta).toPrecision(6)))}`;
  const percent = deployed !== 0 ? `, ${((delta / Math.abs(deployed)) * 100).toFixed(1)}%` : '';
  const lowerBetter = LOWER_IS_BETTER.test(name);
  if (!lowerBetter && !HIGHER_IS_BETTER.test(name)) return `changed ${change}${percent}`;
  const better = lowerBetter ? delta < 0 : delta > 0;
  return `${better ? 'better' : 'worse'}, ${change}${percent}`;
}

function metricLines(metrics: Readonly<Record<string, number>>): string[] {
  const entries = Object.entries(metrics);
  if (entries.length === 0) return [];
  return ['Its metrics:', ...entries.map(([name, value]) => `  ${name}: ${formatNumber(value)}`)];
}

function problemLines(reviewed: ReviewedPackage, which: string): string[] {
  return reviewed.metricsProblem ? [`(No metrics for ${which}: ${reviewed.metricsProblem}.)`] : [];
}

/**
 * The report's headline numbers by short name: `regression_metrics.rmse.value` → `rmse`; spreads
 * (`standard_deviation`) are left out. Other paths keep their full name.
 */
function summaryMetrics(metrics: Readonly<Record<string, number>> | undefined): Record<string, number> {
  const summary: Record<string, number> = {};
  for (const [path, value] of Object.entries(metrics ?? {})) {
    if (/(^|\.)standard_deviation$/.test(path)) continue;
    const parts = path.split('.');
    const name = parts.at(-1) === 'value' && parts.length >= 2 ? parts.at(-2)! : path;
    summary[name in summary ? path : name] = value;
  }
  return summary;
}

function reportsSection(facts: ReviewFacts): string {
  const line = (label: string, reviewed: ReviewedPackage | undefined) =>
    reviewed?.reportUri ? [`${label}: ${reviewed.reportUri}`] : [];
  return [
    ...line('Evaluation report', facts.candidate),
    ...line('Deployed model’s report', facts.serving),
  ].join('\n');
}

function commandsSection(facts: ReviewFacts): string {
  const { arn } = facts.candidate;
  const target = facts.target === 'aws' ? ' --target aws' : '';
  const api = (status: string) =>
    `aws sagemaker update-model-package --model-package-arn ${arn} --model-approval-status ${status} --approval-description "<why>"${facts.target === 'aws' ? ` --region ${facts.region}` : ''}`;
  return [
    'Approve (deploys exactly this package):',
    `  npx mlops approve ${arn} --description "<why>"${target}`,
    `  or: ${api('Approved')}`,
    'Reject (if this package serves by then, the endpoint rolls back to the previous approved one):',
    `  npx mlops reject ${arn} --description "<why>"${target}`,
    `  or: ${api('Rejected')}`,
    'Or in SageMaker Studio: Models → Registered models → ' +
      `${facts.groupName} → version ${facts.candidate.version ?? '?'} → Update status.`,
  ].join('\n');
}

/** How a terminal shows a message of the approvers' topic that was kept on disk instead of mailed. */
export function keptNotificationLines(message: string): string[] {
  return [
    '  notification to the approvers (kept on disk, as the e-mail they would get):',
    ...message
      .trimEnd()
      .split('\n')
      .map((line) => (line ? `    ${line}` : '')),
  ];
}
