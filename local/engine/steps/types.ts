import type { StepDefinition } from '../definition';
import type { EngineDeps } from '../deps';

export interface StepContext {
  readonly step: StepDefinition;
  /** The step's Arguments with every expression resolved (undefined for Condition steps, which resolve lazily). */
  readonly args: unknown;
  /** The name the step's job or model gets (`pipelines-<execution id>-<step>-<random>`). */
  readonly resourceName: string;
  /** Resolves expressions elsewhere in the step (FunctionArn, conditions). */
  resolve(value: unknown): Promise<unknown>;
  readonly signal: AbortSignal;
  readonly deps: EngineDeps;
  /** Shows Metadata while the step still runs (e.g. the job ARN as soon as the job exists). */
  reportMetadata(metadata: Record<string, unknown>): void;
}

export interface StepResult {
  /** The PipelineExecutionStep.Metadata union member for the step type. */
  readonly metadata: Record<string, unknown>;
  /** What `Steps.<name>.<path>` reads (the Describe* shape of what the step made). */
  readonly properties: Record<string, unknown>;
}

export type StepHandler = (context: StepContext) => Promise<StepResult>;

/** A step failure: the FailureReason, the retry class, and Metadata to show even though it failed. */
export class StepFailure extends Error {
  readonly exceptionType: string | undefined;
  readonly metadata: Record<string, unknown> | undefined;

  constructor(reason: string, options: { exceptionType?: string; metadata?: Record<string, unknown> } = {}) {
    super(reason);
    this.exceptionType = options.exceptionType;
    this.metadata = options.metadata;
  }
}
