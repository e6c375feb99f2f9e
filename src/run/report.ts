import * as path from 'node:path';

import { keptNotificationLines } from '../approval/review-message';
import type { RunConfig } from './config';
import type { RunResult } from './main-job';
import type { StageTiming } from './stages';

export interface ReportInput {
  readonly config: RunConfig;
  readonly result: RunResult;
  readonly timings: readonly StageTiming[];
  /** The endpoint of the local AWS when the run used one. */
  readonly localEndpoint?: string;
  /** The state dir of the local AWS that ran the jobs (its own, when the run used one at AWS_ENDPOINT_URL). */
  readonly localStateDir?: string;
  /** The local AWS keeps running after the report (--keep). */
  readonly kept: boolean;
}

/** The closing report of `mlops run`, as plain lines. */
export function renderRunReport(input: ReportInput): string[] {
  const { result, config } = input;
  const rel = (file: string) => path.relative(process.cwd(), file) || file;
  const lines: string[] = ['', headline(result), ''];
  const row = (label: string, value: string | undefined) =>
    value !== undefined && lines.push(`  ${label.padEnd(15)}${value}`);

  row(
    'pipeline',
    result.pipelineArn &&
      `${result.pipelineArn} (${result.pipelineChanged ? 'created or updated' : 'unchanged'})`,
  );
  row('execution', result.executionArn && `${result.executionArn} — ${result.executionStatus}`);
  if (result.failedStep) row('failed step', `${result.failedStep}: ${result.failureReason ?? ''}`);
  row('RMSE', rmseLine(result));
  row('model package', result.modelPackageArn && `${result.modelPackageArn} — ${approvalText(result)}`);
  row(
    'SSM parameter',
    result.ssmParameter && `${result.ssmParameter.name} = ${result.ssmParameter.value ?? '(not set)'}`,
  );
  row(
    'endpoint',
    result.endpointName &&
      `${result.endpointName} (stack ${result.stackName}, ${result.stackChanged ? 'deployed' : 'no change'})`,
  );
  if (result.endpointName) row('call it', invokeCommand(input, rel));
  if (result.outcome === 'awaiting-approval' && result.modelPackageArn) {
    row(
      'next',
      `npx mlops approve ${result.modelPackageArn}${config.target === 'aws' ? ' --target aws' : ''}`,
    );
  }
  for (const message of result.approversMessages ?? []) lines.push('', ...keptNotificationLines(message));
  lines.push('', '  stage times');
  for (const timing of input.timings)
    lines.push(
      `    ${timing.seconds.toFixed(1).padStart(6)}s  ${timing.name}${timing.ok ? '' : ' (failed)'}`,
    );
  const total = input.timings.reduce((sum, timing) => sum + timing.seconds, 0);
  lines.push(`    ${total.toFixed(1).padStart(6)}s  total`, '');
  row('artifacts', Object.values(result.artifacts).map(rel).join(', '));
  if (config.target === 'local' && input.localStateDir) {
    const stateDir = rel(input.localStateDir);
    row(
      'job logs',
      `${stateDir} — read them with: npx mlops logs ${result.executionArn ?? '<execution-arn>'} --state-dir ${stateDir}`,
    );
  }
  return lines;
}

function headline(result: RunResult): string {
  switch (result.outcome) {
    case 'deployed':
      return '✔ Model trained, gated, registered, approved and deployed.';
    case 'awaiting-approval':
      return '⏸ Model registered; waiting for approval (--manual-approval).';
    case 'gate-failed':
      return '✖ The quality gate rejected the model.';
    case 'stopped':
      return '⏹ The execution was stopped.';
    case 'failed':
      return '✖ The pipeline failed.';
  }
}

function rmseLine(result: RunResult): string | undefined {
  const parts = [
    result.pipelineRmse !== undefined ? `pipeline evaluation ${result.pipelineRmse.toFixed(4)}` : undefined,
    result.endpointRmse !== undefined
      ? `live endpoint ${result.endpointRmse.toFixed(4)} (${result.testRows} held-out rows)`
      : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function approvalText(result: RunResult): string {
  const status = result.modelPackageStatus ?? 'unknown';
  return result.autoApproved ? `${status} (approved automatically on the local target)` : status;
}

function invokeCommand(input: ReportInput, rel: (file: string) => string): string {
  const csv = input.result.artifacts.testFeatures ? rel(input.result.artifacts.testFeatures) : '<rows.csv>';
  const command = `npx mlops invoke --endpoint ${input.result.endpointName} --file ${csv}`;
  if (!input.localEndpoint) return command;
  if (input.kept) return `AWS_ENDPOINT_URL=${input.localEndpoint} ${command}`;
  return `${command} (start the local AWS first: npx mlops local start --state-dir ${rel(input.config.stateDir)}; or rerun with --keep)`;
}
