import {
  ListPipelineExecutionStepsCommand,
  type PipelineExecutionStep,
  type PipelineExecutionStepMetadata,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';

import { secondsBetween } from '../report/format';

/** One step of an execution as the reports show it. */
export interface StepView {
  readonly name: string;
  readonly status: string;
  /** The step type as the metadata reveals it (TrainingJob, ProcessingJob, Condition, ...), when known. */
  readonly kind?: string;
  readonly startTime?: Date;
  readonly endTime?: Date;
  readonly durationSeconds?: number;
  readonly attempts?: number;
  /** The execution whose result was reused, when the step was a cache hit. */
  readonly cacheSource?: string;
  /** The job, model, package or function the step created or called. */
  readonly resourceArn?: string;
  readonly failureReason?: string;
  readonly metadata?: PipelineExecutionStepMetadata;
}

export const TERMINAL_STEP_STATUSES: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Stopped']);

const PAGE_SIZE = 100;

/** Every step of an execution, in start order (all pages). */
export async function listExecutionSteps(
  sagemaker: SageMakerClient,
  executionArn: string,
  now: number = Date.now(),
): Promise<StepView[]> {
  const steps: StepView[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sagemaker.send(
      new ListPipelineExecutionStepsCommand({
        PipelineExecutionArn: executionArn,
        SortOrder: 'Ascending',
        MaxResults: PAGE_SIZE,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    for (const step of page.PipelineExecutionSteps ?? []) steps.push(toStepView(step, now));
    nextToken = page.NextToken;
  } while (nextToken);
  return steps;
}

export function toStepView(step: PipelineExecutionStep, now: number = Date.now()): StepView {
  const metadataEntry = firstMetadataEntry(step.Metadata);
  const duration = secondsBetween(step.StartTime, step.EndTime, now);
  return {
    name: step.StepName ?? '(unnamed)',
    status: step.StepStatus ?? 'Unknown',
    ...(metadataEntry ? { kind: metadataEntry.kind } : {}),
    ...(step.StartTime ? { startTime: step.StartTime } : {}),
    ...(step.EndTime ? { endTime: step.EndTime } : {}),
    ...(duration !== undefined ? { durationSeconds: duration } : {}),
    ...(step.AttemptCount !== undefined ? { attempts: step.AttemptCount } : {}),
    ...(step.CacheHitResult?.SourcePipelineExecutionArn
      ? { cacheSource: step.CacheHitResult.SourcePipelineExecutionArn }
      : {}),
    ...(metadataEntry?.arn ? { resourceArn: metadataEntry.arn } : {}),
    ...(step.FailureReason ? { failureReason: step.FailureReason } : {}),
    ...(step.Metadata ? { metadata: step.Metadata } : {}),
  };
}

/** The metadata union holds one member per step type; its name says the type, its `Arn` the resource. */
function firstMetadataEntry(
  metadata: PipelineExecutionStepMetadata | undefined,
): { kind: string; arn?: string } | undefined {
  if (!metadata) return undefined;
  for (const [kind, value] of Object.entries(metadata)) {
    if (value === undefined || value === null) continue;
    const arn =
      typeof value === 'object' && 'Arn' in value && typeof value.Arn === 'string' ? value.Arn : undefined;
    return arn ? { kind, arn } : { kind };
  }
  return undefined;
}

/** The resource name at the end of an ARN (`arn:aws:sagemaker:r:a:training-job/<name>` → `<name>`). */
export function resourceNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
