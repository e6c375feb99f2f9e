import type { ParameterValue } from './parameters';

export type PipelineExecutionStatus = 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';
export type StepStatus = 'Starting' | 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';

/** One step of an execution as ListPipelineExecutionSteps shows it (times in epoch seconds). */
export interface StepRecord {
  StepName: string;
  StepDisplayName?: string;
  StepDescription?: string;
  StartTime?: number;
  EndTime?: number;
  StepStatus: StepStatus;
  CacheHitResult?: { SourcePipelineExecutionArn: string };
  FailureReason?: string;
  Metadata?: Record<string, unknown>;
  AttemptCount?: number;
}

/** A step as the engine keeps it: the public record plus what later steps and the cache read. */
export interface StepState extends StepRecord {
  /** The step's properties (the shape of the matching Describe* response) that `Steps.<name>...` reads. */
  properties?: unknown;
  /** Hash of the step's type and resolved arguments, for CacheConfig. */
  cacheKey?: string;
}

/** An execution as stored by the local SageMaker; the engine updates status and steps as it runs. */
export interface ExecutionRecord {
  PipelineArn: string;
  PipelineName: string;
  PipelineExecutionArn: string;
  ExecutionId: string;
  PipelineExecutionDisplayName: string;
  PipelineExecutionDescription?: string;
  PipelineExecutionStatus: PipelineExecutionStatus;
  FailureReason?: string;
  PipelineExperimentConfig?: { ExperimentName?: string; TrialName?: string };
  CreationTime: number;
  LastModifiedTime: number;
  ParallelismConfiguration?: { MaxParallelExecutionSteps: number };
  PipelineVersionId?: number;
  ClientRequestToken?: string;
  /** The definition text the execution runs (DescribePipelineDefinitionForExecution). */
  PipelineDefinition: string;
  Parameters: ParameterValue[];
  Steps: StepState[];
  /** Process id of the local AWS running the execution; a restart fails executions whose runner is gone. */
  RunnerPid?: number;
}

export const TERMINAL_EXECUTION_STATUSES: readonly PipelineExecutionStatus[] = [
  'Stopped',
  'Failed',
  'Succeeded',
];

/** Limits of the service's FailureReason fields. */
export const EXECUTION_FAILURE_REASON_MAX = 1300;
export const STEP_FAILURE_REASON_MAX = 1024;

/** Keeps the end of a long reason (the end of a log is what explains a failure). */
export function truncateReason(reason: string, max: number): string {
  if (reason.length <= max) return reason;
  const marker = '...';
  const head =
    reason.indexOf(': ') > 0 && reason.indexOf(': ') < 120 ? reason.slice(0, reason.indexOf(': ') + 2) : '';
  return head + marker + reason.slice(reason.length - (max - head.length - marker.length));
}

export const epochSeconds = (ms: number = Date.now()) => ms / 1000;
