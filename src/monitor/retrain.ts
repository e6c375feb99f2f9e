import type { DriftCheckResult } from './drift-check';

/** Starts the train-and-deploy flow; the GitHub implementation dispatches a workflow. */
export interface RetrainDispatcher {
  dispatch(reason: string): Promise<void>;
}

export interface RetrainDecision {
  readonly retrain: boolean;
  readonly reason: string;
}

/**
 * Retrain when the violations reach `limit` (default 1). A failed check never retrains: no data or a broken
 * job says nothing about drift, and retraining would hide the failure.
 */
export function retrainDecision(result: DriftCheckResult, limit = 1): RetrainDecision {
  if (!result.status.startsWith('Completed')) {
    return {
      retrain: false,
      reason: `drift check ${result.status}: ${result.failureReason ?? 'no reason given'}`,
    };
  }
  const count = result.violations.length;
  const named = result.violations.map(
    (violation) => `${violation.feature_name || '(dataset)'} ${violation.constraint_check_type}`,
  );
  return count >= limit
    ? { retrain: true, reason: `${count} data-quality violation(s) (limit ${limit}): ${named.join(', ')}` }
    : { retrain: false, reason: `${count} violation(s), below the limit of ${limit}` };
}

/** Decides and, when the limit is reached, dispatches retraining with the reason. */
export async function retrainOnDrift(
  result: DriftCheckResult,
  options: { readonly limit?: number; readonly dispatcher: RetrainDispatcher },
): Promise<RetrainDecision> {
  const decision = retrainDecision(result, options.limit);
  if (decision.retrain) await options.dispatcher.dispatch(decision.reason);
  return decision;
}

/**
 * A GitHub workflow_dispatch of the train-and-deploy workflow (`POST /repos/{repo}/actions/workflows/{workflow}/dispatches`)
 * with the reason as an input, so the run records why it started.
 */
export function githubWorkflowDispatcher(options: {
  readonly repository: string;
  readonly workflow: string;
  readonly ref: string;
  readonly token: string;
  readonly apiUrl?: string;
}): RetrainDispatcher {
  return {
    async dispatch(reason) {
      const url = `${options.apiUrl ?? 'https://api.github.com'}/repos/${options.repository}/actions/workflows/${encodeURIComponent(options.workflow)}/dispatches`;
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
        },
        body: JSON.stringify({ ref: options.ref, inputs: { reason: reason.slice(0, 1000) } }),
      });
      if (response.status !== 204) {
        throw new Error(
          `dispatching ${options.workflow} in ${options.repository} failed: HTTP ${response.status} ${await response.text()}`,
        );
      }
    },
  };
}
