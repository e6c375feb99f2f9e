import type { ObjectStoreApi } from '../core/deps';
import type { JobDirectory } from './job-directory';
import type { JobLog } from './job-log';

export type JobType = 'processing' | 'training' | 'transform';

/** Everything a runtime needs to run one job. */
export interface JobContext {
  readonly name: string;
  /** The Create*Job request. */
  readonly request: Record<string, unknown>;
  readonly directory: JobDirectory;
  readonly log: JobLog;
  readonly objects: ObjectStoreApi;
  readonly signal: AbortSignal;
  /** The Python interpreter with the ML libraries (findPython()). */
  readonly python: string;
  readonly env: NodeJS.ProcessEnv;
  /** For transform jobs: the container of the model the job runs (its image and ModelDataUrl). */
  readonly model?: ModelContainer;
}

export interface ModelContainer {
  readonly Image?: string;
  readonly ModelDataUrl?: string;
  readonly Environment?: Record<string, string>;
}

/** What a finished job adds to its Describe* response (e.g. ModelArtifacts, FinalMetricDataList, ExitMessage). */
export type JobDetails = Record<string, unknown>;

/** A runtime: stages inputs, runs the container's contract, collects outputs. Throws JobFailure or JobStopped. */
export type JobRuntime = (context: JobContext) => Promise<JobDetails>;

/** SageMaker's failure classes: ClientError (bad request/input), AlgorithmError (the code failed), InternalServerError. */
export type FailureClass = 'ClientError' | 'AlgorithmError' | 'InternalServerError';

/** A job failure; the message becomes FailureReason after the class prefix (`AlgorithmError: ...`). */
export class JobFailure extends Error {
  constructor(
    readonly failureClass: FailureClass,
    message: string,
    readonly details: JobDetails = {},
  ) {
    super(message);
  }

  get failureReason(): string {
    return `${this.failureClass}: ${this.message}`;
  }
}

/**
 * The job was stopped (StopPipelineExecution, shutdown, MaxRuntimeInSeconds) before it ended; `details` is what
 * its Describe* response still shows (e.g. the ExitMessage the process wrote before it was stopped).
 */
export class JobStopped extends Error {
  constructor(
    message: string,
    readonly details: JobDetails = {},
  ) {
    super(message);
  }
}
