import { existsSync, statSync } from 'node:fs';

import * as core from '@actions/core';

import type { AwsClientOptions } from '../aws/clients';
import { describeError } from '../aws/transient-errors';
import { fitMarkdown } from '../report/markdown-limit';

/**
 * Runs an action body: any error fails the step with its message (input errors already name the
 * input; AWS errors carry their code).
 */
export async function runAction(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    core.setFailed(describeError(error));
  }
}

/** Client settings for an action: its name in the user agent; region and endpoint from the environment. */
export function actionClientOptions(action: string): AwsClientOptions {
  return { userAgent: `sagemaker-mlops-actions/${action}` };
}

/** GitHub refuses (and shows none of) a step summary over 1 MiB. */
export const MAX_SUMMARY_BYTES = 1024 * 1024;

/** Writes the job summary when the runner provides one (GITHUB_STEP_SUMMARY), within GitHub's 1 MiB. */
export async function writeSummary(markdown: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const written = existsSync(file) ? statSync(file).size : 0;
  const fitted = fitMarkdown(markdown, {
    // One byte for the line end addRaw appends.
    limit: MAX_SUMMARY_BYTES - written - 1,
    unit: 'bytes',
    note: '… (cut here: GitHub shows no step summary over 1 MiB)',
  });
  await core.summary.addRaw(fitted, true).write();
}

/** Sets outputs, skipping undefined values; anything but a string, number or boolean becomes JSON. */
export function setOutputs(outputs: Readonly<Record<string, unknown>>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    core.setOutput(name, scalar ? String(value) : JSON.stringify(value));
  }
}

/**
 * An AbortSignal that fires when the runner cancels the job (SIGINT, then SIGTERM). Handling the signal
 * keeps the process alive long enough to clean up (e.g. stop the execution).
 */
export function cancellationSignal(onCancel: (signal: NodeJS.Signals) => void): AbortSignal {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    onCancel(signal);
    controller.abort();
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return controller.signal;
}
