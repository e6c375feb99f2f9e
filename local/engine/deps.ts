import type { StepState } from './execution-record';

export type JobKind = 'Processing' | 'Training' | 'Transform';

/** How a SageMaker job ended, with its Describe* response (the step's properties). */
export interface JobOutcome {
  readonly status: 'Completed' | 'Failed' | 'Stopped';
  readonly arn: string;
  readonly description: Record<string, unknown>;
  readonly failureReason?: string;
  /** Retry-policy class of the failure (e.g. SageMaker.JOB_INTERNAL_ERROR); absent for algorithm errors. */
  readonly exceptionType?: string;
}

export interface JobRequest {
  readonly kind: JobKind;
  readonly name: string;
  /** The Create*Job request (resolved step arguments plus the job name). */
  readonly request: Record<string, unknown>;
  readonly signal: AbortSignal;
  /** Called once the job exists (its ARN is known), before it runs. */
  readonly onCreated?: (arn: string) => void;
}

export interface LambdaResult {
  readonly payload: unknown;
  /** Set when the function raised (`Unhandled`/`Handled`), as Lambda's X-Amz-Function-Error. */
  readonly functionError?: string;
}

export interface CacheQuery {
  readonly pipelineArn: string;
  readonly stepName: string;
  readonly cacheKey: string;
  /** Only steps that ended at or after this time (epoch seconds) count. */
  readonly notBefore: number;
}

export interface CacheHit {
  readonly pipelineExecutionArn: string;
  readonly step: StepState;
}

/** What the executor needs from the rest of the local AWS; the SageMaker provider supplies it. */
export interface EngineDeps {
  /** Text of an object in the local S3 (`s3://bucket/key`). */
  readObject(s3Uri: string): Promise<string>;
  /** Creates and runs a job to its end. */
  runJob(job: JobRequest): Promise<JobOutcome>;
  /** CreateModel; returns the DescribeModel response. */
  createModel(request: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** CreateModelPackage (creating the group if missing); returns the DescribeModelPackage response. */
  registerModel(request: Record<string, unknown>): Promise<Record<string, unknown>>;
  invokeLambda(functionArn: string, event: unknown): Promise<LambdaResult>;
  /** Starts the function's worker now, so that the Lambda step later finds it warm. */
  prepareLambda(functionArn: string): void;
  findCachedStep(query: CacheQuery): CacheHit | undefined;
  /** Waits between retry attempts; rejects when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** A sleep that an abort cuts short. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
