import * as core from '@actions/core';

import { readRunContext } from '../../github/context';
import { createPipelineClients } from '../../pipeline/clients';
import { checkMetricLimits, failedChecks, type LimitCheck } from '../../pipeline/metric-limits';
import { executionMetrics, metricsRecord, writeMetricsRecord } from '../../pipeline/metrics-record';
import { isLocalEndpoint, whereToLook } from '../../pipeline/where-to-look';
import { waitForExecution, type ExecutionReport } from '../../pipeline/wait';
import { formatDuration } from '../../report/format';
import { renderExecutionSummary } from '../../report/execution-summary';
import { actionReporter } from '../action-reporter';
import {
  actionClientOptions,
  cancellationSignal,
  runAction,
  setOutputs,
  writeSummary,
} from '../action-runtime';
import { Inputs } from '../inputs';
import { updatePrComment } from '../pr-comment';
import { readWaitInputs, type WaitInputs } from './inputs';

/** wait-for-execution: follow an execution to its end, report it, fail unless it Succeeded. */
export function run(): Promise<void> {
  return runAction(async () => {
    const inputs = readWaitInputs(new Inputs((name) => core.getInput(name)));
    const signal = cancellationSignal((received) =>
      core.warning(
        `Received ${received}: the workflow was cancelled${inputs.stopOnCancel ? '; stopping the execution' : ''}.`,
      ),
    );
    const clients = createPipelineClients(actionClientOptions('wait-for-execution'));
    core.info(`Waiting for ${inputs.executionArn} (timeout ${inputs.timeoutMinutes} minutes)`);
    const report = await waitForExecution(
      clients,
      {
        executionArn: inputs.executionArn,
        timeoutMinutes: inputs.timeoutMinutes,
        poll: inputs.poll,
        stopOnTimeout: inputs.stopOnTimeout,
        stopOnCancel: inputs.stopOnCancel,
        signal,
      },
      actionReporter,
    );
    const look = whereToLook(report.failedStep, {
      executionArn: report.executionArn,
      local: isLocalEndpoint(),
      ...localStateDir(),
    });
    setExecutionOutputs(report);
    const context = readRunContext();
    if (inputs.metricsFile !== undefined) {
      writeMetricsRecord(inputs.metricsFile, metricsRecord(report, context));
      core.info(`Metrics written to ${inputs.metricsFile}`);
    }
    const checks = limitChecks(report, inputs);
    const summary = renderExecutionSummary(report, {
      whereToLook: look,
      timeoutMinutes: inputs.timeoutMinutes,
      ...(inputs.baseline
        ? { baseline: { record: inputs.baseline, context, ...(checks ? { checks } : {}) } }
        : {}),
    });
    await writeSummary(summary);
    await updatePrComment(
      inputs.prComment,
      { section: 'wait-for-execution', content: summary, context },
      actionReporter,
    );
    const failure = failureMessage(report, inputs, look) ?? regressionMessage(checks);
    if (failure) core.setFailed(failure);
    else core.info(`Execution Succeeded in ${formatDuration(report.durationSeconds)}`);
  });
}

function setExecutionOutputs(report: ExecutionReport): void {
  const lambdaOutputs: Record<string, Record<string, string>> = {};
  for (const output of report.lambdaOutputs)
    lambdaOutputs[output.step] = { ...lambdaOutputs[output.step], [output.name]: output.value };
  setOutputs({
    status: report.outcome === 'timed-out' && !report.stopRequested ? 'TimedOut' : report.status,
    'failed-step': report.failedStep?.name,
    'failure-reason': report.failureReason,
    'model-package-arn': report.modelPackageArn,
    'model-package-status': report.modelPackageStatus,
    'model-name': report.modelName,
    'duration-seconds': report.durationSeconds !== undefined ? Math.round(report.durationSeconds) : undefined,
    'lambda-outputs': lambdaOutputs,
    metrics: Object.fromEntries(report.metrics.map((metric) => [metric.name, metric.value])),
    'evaluation-report': report.reports[0]?.content,
  });
  for (const output of report.lambdaOutputs) setOutputs({ [`lambda-${output.name}`]: output.value });
}

/** Why the action fails, or undefined when the execution Succeeded. */
function failureMessage(
  report: ExecutionReport,
  inputs: WaitInputs,
  look: readonly string[],
): string | undefined {
  if (report.outcome === 'timed-out') {
    const stop = report.stopRequested
      ? `; the execution was stopped (now ${report.status})`
      : `; the execution is still ${report.status} (set stop-on-timeout to stop it)`;
    return `Execution ${report.executionArn} timed out after ${inputs.timeoutMinutes} minutes${stop}`;
  }
  if (report.outcome === 'cancelled') {
    return `The workflow was cancelled while waiting for ${report.executionArn}${report.stopRequested ? '; a stop was requested' : ''}`;
  }
  if (report.status === 'Succeeded') return undefined;
  const step = report.failedStep ? ` at step ${report.failedStep.name}` : '';
  const reason = report.failureReason ? `: ${report.failureReason}` : '';
  return [`Execution ${report.status}${step}${reason}`, ...look].join('\n');
}

/** The max-regression limits against the baseline, once the execution Succeeded and a baseline is known. */
function limitChecks(report: ExecutionReport, inputs: WaitInputs): LimitCheck[] | undefined {
  if (inputs.limits.length === 0) return undefined;
  if (!inputs.baseline) {
    core.info('max-regression: no baseline-metrics-file, so the limits are not checked');
    return undefined;
  }
  if (report.status !== 'Succeeded') return undefined;
  const checks = checkMetricLimits(executionMetrics(report), inputs.baseline, inputs.limits);
  for (const check of checks) core.info(`max-regression: ${check.message}`);
  return checks;
}

function regressionMessage(checks: readonly LimitCheck[] | undefined): string | undefined {
  const failed = failedChecks(checks ?? []);
  if (failed.length === 0) return undefined;
  return [
    `The execution Succeeded, but ${failed.length} metric(s) moved beyond max-regression against the baseline:`,
    ...failed.map((check) => `  ${check.message}`),
  ].join('\n');
}

function localStateDir(): { localStateDir?: string } {
  const dir = process.env.MLOPS_LOCAL_STATE_DIR;
  return dir ? { localStateDir: dir } : {};
}
