import * as core from '@actions/core';

import type { RunContext } from '../github/context';
import { upsertStickyComment } from '../github/sticky-comment';
import type { Reporter } from '../report/reporter';
import { InputError, type Inputs } from './inputs';

export interface PrCommentSettings {
  readonly token: string;
  readonly commentKey: string;
}

/** `pr-comment` (opt-in) with `github-token` (required then) and `pr-comment-key`. */
export function readPrCommentInputs(inputs: Inputs): PrCommentSettings | undefined {
  const token = inputs.optional('github-token');
  // Masked in every log line, whatever prints it later (an error message, a debug dump).
  if (token) core.setSecret(token);
  if (!inputs.boolean('pr-comment', false)) return undefined;
  if (!token)
    throw new InputError(
      'github-token',
      'is required when pr-comment is true; expected a token, e.g. ${{ github.token }} (permissions: pull-requests: write)',
    );
  return { token, commentKey: inputs.optional('pr-comment-key') ?? 'mlops' };
}

/**
 * Puts `content` into this action's section of the PR's sticky comment. Only on pull requests; a failure
 * to comment (e.g. a read-only token on a fork) is a warning, never a failed deployment.
 */
export async function updatePrComment(
  settings: PrCommentSettings | undefined,
  options: { section: string; content: string; context: RunContext },
  reporter: Reporter,
): Promise<void> {
  if (!settings) return;
  const { context } = options;
  if (context.pullRequest === undefined || !context.repository) {
    reporter.info('pr-comment: this run is not for a pull request; no comment written');
    return;
  }
  try {
    const result = await upsertStickyComment({
      token: settings.token,
      repository: context.repository,
      issueNumber: context.pullRequest,
      apiUrl: context.apiUrl,
      commentKey: settings.commentKey,
      section: options.section,
      content: options.content,
    });
    reporter.info(`PR comment ${result.action}: ${result.url}`);
  } catch (error) {
    reporter.warning(
      `Could not write the PR comment: ${error instanceof Error ? error.message : String(error)}`,
      'PR comment',
    );
  }
}
