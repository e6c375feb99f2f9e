import type { DriftCheckResult } from './drift-check';
import type { RetrainDecision } from './retrain';

const number = (value: number | undefined) =>
  value === undefined ? '—' : String(Number(value.toPrecision(4)));

/** The job summary of a drift check: verdict, then a table per feature (baseline vs current, distance, verdict). */
export function driftSummaryMarkdown(
  endpoint: string,
  result: DriftCheckResult,
  decision: RetrainDecision,
): string {
  const lines = [
    `## Drift check of ${endpoint}: ${result.status}`,
    '',
    decision.retrain ? `**Retraining dispatched:** ${decision.reason}` : `No retraining: ${decision.reason}`,
    '',
  ];
  if (result.features.length > 0) {
    lines.push(
      '| feature | baseline mean | current mean | distance | threshold | verdict |',
      '|---|---|---|---|---|---|',
    );
    for (const feature of result.features) {
      const verdict = feature.violations.length
        ? feature.violations.map((violation) => violation.constraint_check_type).join(', ')
        : 'ok';
      lines.push(
        `| ${feature.name} | ${number(feature.baselineMean)} | ${number(feature.currentMean)} | ${feature.distance === undefined ? '≤ threshold' : number(feature.distance)} | ${number(feature.threshold)} | ${verdict} |`,
      );
    }
    const dataset = result.violations.filter((violation) => !violation.feature_name);
    for (const violation of dataset)
      lines.push('', `- ${violation.constraint_check_type}: ${violation.description}`);
  }
  if (result.reportS3Uri) lines.push('', `Reports: ${result.reportS3Uri}`);
  return `${lines.join('\n')}\n`;
}
