import { createHash } from 'node:crypto';

import { AddTagsCommand, StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';

import { describeError } from '../aws/transient-errors';
import { executionParameterList, type ExecutionParameterValues } from '../../pipeline/execution-parameters';
import type { RunContext, Tag } from '../github/context';
import type { Reporter } from '../report/reporter';
import type { PipelineClients } from './clients';

export interface StartOptions {
  readonly pipelineName: string;
  readonly parameters: ExecutionParameterValues;
  readonly displayName?: string;
  readonly description?: string;
  /** Same token, same execution: SageMaker returns the execution the token started before. */
  readonly clientRequestToken: string;
  readonly maxParallelSteps?: number;
  /** Tags for the execution (StartPipelineExecution takes none, so they are added right after). */
  readonly tags: readonly Tag[];
}

export interface StartResult {
  readonly executionArn: string;
}

export async function startExecution(
  clients: PipelineClients,
  options: StartOptions,
  reporter: Reporter,
): Promise<StartResult> {
  const started = await clients.sagemaker.send(
    new StartPipelineExecutionCommand({
      PipelineName: options.pipelineName,
      ClientRequestToken: options.clientRequestToken,
      PipelineParameters: executionParameterList(options.parameters),
      ...(options.displayName ? { PipelineExecutionDisplayName: options.displayName } : {}),
      ...(options.description ? { PipelineExecutionDescription: options.description } : {}),
      ...(options.maxParallelSteps !== undefined
        ? { ParallelismConfiguration: { MaxParallelExecutionSteps: options.maxParallelSteps } }
        : {}),
    }),
  );
  const executionArn = started.PipelineExecutionArn;
  if (!executionArn)
    throw new Error(`StartPipelineExecution for ${options.pipelineName} returned no execution ARN`);
  reporter.info(`Started execution ${executionArn}`);
  if (options.tags.length > 0) {
    try {
      await clients.sagemaker.send(
        new AddTagsCommand({ ResourceArn: executionArn, Tags: [...options.tags] }),
      );
    } catch (error) {
      // The execution runs either way; missing tags only cost traceability.
      reporter.warning(`Could not tag execution ${executionArn}: ${describeError(error)}`);
    }
  }
  return { executionArn };
}

/**
 * The default ClientRequestToken: one per (run, attempt, job, pipeline, parameters). A step the runner
 * executes again within the same attempt gets the execution it started before instead of a second one;
 * "Re-run jobs" is a new attempt and starts a new execution (what a re-run after a failure is for).
 */
export function deriveClientRequestToken(
  context: RunContext,
  options: { pipelineName: string; parameters: ExecutionParameterValues; displayName?: string },
): string | undefined {
  if (context.runId === undefined) return undefined;
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        context.repository,
        context.job,
        options.pipelineName,
        options.parameters,
        options.displayName ?? '',
      ]),
    )
    .digest('hex');
  // 32–128 characters: the run and attempt stay readable, the digest separates jobs and pipelines.
  return `gh-${context.runId}-${context.runAttempt ?? 1}-${digest.slice(0, 40)}`;
}
