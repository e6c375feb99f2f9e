import { createHash } from 'node:crypto';

import { AwsError } from '../core/errors';
import { planSteps, type PlannedStep } from './dag';
import { parseDefinition, type StepDefinition } from './definition';
import type { EngineDeps } from './deps';
import { parseDuration } from './durations';
import {
  EXECUTION_FAILURE_REASON_MAX,
  STEP_FAILURE_REASON_MAX,
  epochSeconds,
  truncateReason,
  type ExecutionRecord,
  type PipelineExecutionStatus,
  type StepState,
} from './execution-record';
import { resolveValue, type ExpressionScope } from './expressions';
import { stepResourceName } from './resource-names';
import { retryDelayMs } from './retry';
import { stepHandler } from './steps';
import { StepFailure, type StepResult } from './steps/types';

/** Step types whose CacheConfig the service honours (and the local AWS can run). */
const CACHEABLE_TYPES = new Set(['Processing', 'Training', 'Transform']);

/** The service's cap when neither the pipeline nor the start call sets ParallelismConfiguration. */
const DEFAULT_MAX_PARALLEL_STEPS = 50;

/** One attempt's job or model name, the scope that names it and the arguments resolved in that scope. */
interface PreparedAttempt {
  readonly args: unknown;
  readonly resourceName: string;
  readonly scope: ExpressionScope;
}

/** What the service reports when a step other than a Fail step fails. */
export const STEP_FAILURE_REASON = 'Step failure: One or multiple steps failed.';

export interface ExecutionRunOptions {
  /** The stored execution; the run updates it in place and calls `persist` after every change. */
  readonly record: ExecutionRecord;
  readonly deps: EngineDeps;
  readonly persist: (record: ExecutionRecord) => void;
}

type Phase = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'stopped';

/**
 * Runs one pipeline execution as a DAG. Scheduling is event-driven: a step starts the moment its last
 * dependency finishes and a parallelism slot is free, so orchestration adds no waiting of its own.
 */
export class ExecutionRun {
  readonly finished: Promise<ExecutionRecord>;
  private readonly record: ExecutionRecord;
  private readonly deps: EngineDeps;
  private readonly persist: (record: ExecutionRecord) => void;
  private readonly abort = new AbortController();
  private readonly phases = new Map<string, Phase>();
  private readonly states = new Map<string, StepState>();
  private plan = new Map<string, PlannedStep>();
  private running = 0;
  private failure: string | undefined;
  private stopping = false;
  private saveScheduled = false;
  private shutdownReason: string | undefined;
  private done = false;
  private resolveFinished!: (record: ExecutionRecord) => void;
  private readonly scope: ExpressionScope;

  constructor(options: ExecutionRunOptions) {
    this.record = options.record;
    this.deps = options.deps;
    this.persist = options.persist;
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    for (const state of this.record.Steps) this.states.set(state.StepName, state);
    this.scope = {
      parameters: new Map(this.record.Parameters.map((parameter) => [parameter.name, parameter])),
      executionVariable: (name) => this.executionVariable(name),
      stepProperties: (name) =>
        this.phases.get(name) === 'succeeded' ? this.states.get(name)?.properties : undefined,
      readObject: (uri) => this.deps.readObject(uri),
    };
  }

  start(): this {
    try {
      this.plan = planSteps(parseDefinition(this.record.PipelineDefinition));
    } catch (error) {
      this.finish('Failed', `The pipeline definition cannot run: ${(error as Error).message}`);
      return this;
    }
    for (const name of this.plan.keys()) this.phases.set(name, 'pending');
    this.prepareLambdas();
    this.pump();
    return this;
  }

  /** StopPipelineExecution: Stopping now; running steps are stopped (their processes killed), then Stopped. */
  stop(): void {
    if (this.done || this.stopping) return;
    this.stopping = true;
    this.record.PipelineExecutionStatus = 'Stopping';
    for (const [name, phase] of this.phases) {
      const state = this.states.get(name);
      if (phase === 'running' && state) state.StepStatus = 'Stopping';
    }
    this.save();
    this.abort.abort();
    this.pump();
  }

  /**
   * The local AWS is shutting down: running steps are killed and the execution ends Failed with the
   * reason (an execution cannot outlive the process that runs it).
   */
  shutdown(reason: string): void {
    if (this.done) return;
    this.shutdownReason = reason;
    this.stop();
  }

  /**
   * A Lambda step comes after the jobs it depends on: its function's worker starts now, beside them, rather
   * than on the critical path (a FunctionArn that is an expression is resolved only when the step runs).
   */
  private prepareLambdas(): void {
    for (const { definition } of this.plan.values()) {
      if (definition.Type === 'Lambda' && typeof definition.FunctionArn === 'string')
        this.deps.prepareLambda(definition.FunctionArn);
    }
  }

  private get maxParallel(): number {
    return this.record.ParallelismConfiguration?.MaxParallelExecutionSteps ?? DEFAULT_MAX_PARALLEL_STEPS;
  }

  private pump(): void {
    if (this.done) return;
    if (!this.stopping && this.failure === undefined) {
      this.skipUnreachable();
      for (const [name, planned] of this.plan) {
        if (this.running >= this.maxParallel) break;
        if (this.phases.get(name) === 'pending' && this.isReady(planned))
          this.launch(name, planned.definition);
      }
    }
    if (this.running > 0) return;
    if (this.shutdownReason !== undefined) return this.finish('Failed', this.shutdownReason);
    if (this.stopping) return this.finish('Stopped');
    if (this.failure !== undefined) return this.finish('Failed', this.failure);
    const blocked = [...this.phases].filter(([, phase]) => phase === 'pending').map(([name]) => name);
    if (blocked.length > 0) {
      return this.finish(
        'Failed',
        `Steps ${blocked.join(', ')} could not start: their dependencies form a cycle`,
      );
    }
    this.finish('Succeeded');
  }

  private isReady(planned: PlannedStep): boolean {
    if (![...planned.dependencies].every((dependency) => this.phases.get(dependency) === 'succeeded'))
      return false;
    return !planned.branch || this.branchTaken(planned.branch);
  }

  private branchTaken(branch: NonNullable<PlannedStep['branch']>): boolean {
    const outcome = (this.states.get(branch.condition)?.properties as { Outcome?: string } | undefined)
      ?.Outcome;
    return outcome === (branch.outcome ? 'True' : 'False');
  }

  /** Steps in the branch not taken, and steps that need a skipped step, never run. */
  private skipUnreachable(): void {
    let changed = true;
    while (changed) {
      changed = false;
      for (const [name, planned] of this.plan) {
        if (this.phases.get(name) !== 'pending') continue;
        const dependencySkipped = [...planned.dependencies].some((dep) => this.phases.get(dep) === 'skipped');
        const branchDecided =
          planned.branch &&
          this.phases.get(planned.branch.condition) === 'succeeded' &&
          !this.branchTaken(planned.branch);
        if (dependencySkipped || branchDecided) {
          this.phases.set(name, 'skipped');
          changed = true;
        }
      }
    }
  }

  private launch(name: string, step: StepDefinition): void {
    this.running += 1;
    this.phases.set(name, 'running');
    const state: StepState = {
      StepName: name,
      ...(step.DisplayName ? { StepDisplayName: step.DisplayName } : {}),
      ...(step.Description ? { StepDescription: step.Description } : {}),
      StartTime: epochSeconds(),
      StepStatus: 'Starting',
      AttemptCount: 0,
    };
    this.states.set(name, state);
    this.record.Steps.push(state);
    this.save();
    void this.runStep(step, state).finally(() => {
      this.running -= 1;
      state.EndTime = epochSeconds();
      this.save();
      this.pump();
    });
  }

  private async runStep(step: StepDefinition, state: StepState): Promise<void> {
    try {
      const first = await this.prepare(step);
      const cacheKey = CACHEABLE_TYPES.has(step.Type) ? stepCacheKey(step, first.args) : undefined;
      if (cacheKey && this.useCache(step, state, cacheKey)) return;
      state.StepStatus = 'Executing';
      this.save();
      const result = await this.attempt(step, state, first);
      Object.assign(state, {
        StepStatus: 'Succeeded',
        Metadata: result.metadata,
        properties: result.properties,
      });
      if (cacheKey) state.cacheKey = cacheKey;
      this.phases.set(step.Name, 'succeeded');
    } catch (error) {
      this.recordFailure(step, state, error);
    }
  }

  /** A name for the step's job or model, and its arguments resolved with `Execution.<Kind>JobName` = that name. */
  private async prepare(step: StepDefinition): Promise<PreparedAttempt> {
    const resourceName = stepResourceName(this.record.ExecutionId, step.Name);
    const scope = this.stepScope(step, resourceName);
    const args = step.Type === 'Condition' ? undefined : await resolveValue(step.Arguments, scope);
    return { args, resourceName, scope };
  }

  /**
   * Runs the handler, retrying as the step's RetryPolicies allow; AttemptCount counts every attempt. Each retry
   * is a new job under a new name, as the service starts one (job names are unique).
   */
  private async attempt(step: StepDefinition, state: StepState, first: PreparedAttempt): Promise<StepResult> {
    const handler = stepHandler(step.Type);
    const firstStart = Date.now();
    let prepared = first;
    for (;;) {
      state.AttemptCount = (state.AttemptCount ?? 0) + 1;
      if (state.AttemptCount > 1) prepared = await this.prepare(step);
      this.save();
      try {
        return await handler({
          step,
          args: prepared.args,
          resourceName: prepared.resourceName,
          resolve: (value) => resolveValue(value, prepared.scope),
          signal: this.abort.signal,
          deps: this.deps,
          reportMetadata: (metadata) => {
            state.Metadata = metadata;
            this.save();
          },
        });
      } catch (error) {
        const delay = this.abort.signal.aborted
          ? undefined
          : retryDelayMs({
              policies: step.RetryPolicies ?? [],
              exceptionType: exceptionTypeOf(error),
              attempts: state.AttemptCount,
              elapsedMs: Date.now() - firstStart,
            });
        if (delay === undefined) throw error;
        await this.deps.sleep(delay, this.abort.signal);
      }
    }
  }

  private useCache(step: StepDefinition, state: StepState, cacheKey: string): boolean {
    if (!step.CacheConfig?.Enabled) return false;
    const expireAfter = step.CacheConfig.ExpireAfter ? parseDuration(step.CacheConfig.ExpireAfter) : Infinity;
    const hit = this.deps.findCachedStep({
      pipelineArn: this.record.PipelineArn,
      stepName: step.Name,
      cacheKey,
      notBefore: Number.isFinite(expireAfter) ? epochSeconds(Date.now() - expireAfter) : 0,
    });
    if (!hit) return false;
    Object.assign(state, {
      StepStatus: 'Succeeded',
      Metadata: hit.step.Metadata,
      properties: hit.step.properties,
      cacheKey,
      CacheHitResult: { SourcePipelineExecutionArn: hit.pipelineExecutionArn },
    });
    this.phases.set(step.Name, 'succeeded');
    return true;
  }

  private recordFailure(step: StepDefinition, state: StepState, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof StepFailure && error.metadata) state.Metadata = error.metadata;
    if (this.abort.signal.aborted) {
      state.StepStatus = this.shutdownReason === undefined ? 'Stopped' : 'Failed';
      if (this.shutdownReason !== undefined) state.FailureReason = this.shutdownReason;
      this.phases.set(step.Name, 'stopped');
      return;
    }
    state.StepStatus = 'Failed';
    state.FailureReason = truncateReason(reason, STEP_FAILURE_REASON_MAX);
    this.phases.set(step.Name, 'failed');
    if (this.failure === undefined) this.failure = step.Type === 'Fail' ? reason : STEP_FAILURE_REASON;
  }

  /** The execution's scope plus `Execution.ProcessingJobName` / `TrainingJobName` for the step's own job. */
  private stepScope(step: StepDefinition, resourceName: string): ExpressionScope {
    const ownJob: Record<string, string> = { Processing: 'ProcessingJobName', Training: 'TrainingJobName' };
    return {
      ...this.scope,
      executionVariable: (name) =>
        name === ownJob[step.Type] ? resourceName : this.scope.executionVariable(name),
    };
  }

  private executionVariable(name: string): string | undefined {
    const variables: Record<string, () => string> = {
      PipelineExecutionId: () => this.record.ExecutionId,
      PipelineExecutionArn: () => this.record.PipelineExecutionArn,
      PipelineName: () => this.record.PipelineName,
      PipelineArn: () => this.record.PipelineArn,
      StartDateTime: () => new Date(this.record.CreationTime * 1000).toISOString(),
      CurrentDateTime: () => new Date().toISOString(),
    };
    return variables[name]?.();
  }

  private finish(status: PipelineExecutionStatus, reason?: string): void {
    this.done = true;
    this.record.PipelineExecutionStatus = status;
    if (reason !== undefined)
      this.record.FailureReason = truncateReason(reason, EXECUTION_FAILURE_REASON_MAX);
    this.record.LastModifiedTime = epochSeconds();
    this.flush();
    this.resolveFinished(this.record);
  }

  /** Changes within one turn of the event loop are written once (steps that finish instantly change often). */
  private save(): void {
    this.record.LastModifiedTime = epochSeconds();
    if (this.saveScheduled) return;
    this.saveScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.saveScheduled = false;
    this.persist(this.record);
  }
}

const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'SlowDown',
  'RequestLimitExceeded',
]);

/** The retry-policy class of a failure: the step's own, or Step.THROTTLING / Step.SERVICE_FAULT for AWS errors. */
function exceptionTypeOf(error: unknown): string | undefined {
  if (error instanceof StepFailure) return error.exceptionType;
  if (error instanceof AwsError) {
    if (THROTTLING_CODES.has(error.code)) return 'Step.THROTTLING';
    if (error.status >= 500) return 'Step.SERVICE_FAULT';
  }
  return undefined;
}

/** Identical type and resolved arguments (and property files) make a cache hit. */
export function stepCacheKey(step: StepDefinition, args: unknown): string {
  return createHash('sha256')
    .update(stableJson({ Type: step.Type, Arguments: args, PropertyFiles: step.PropertyFiles ?? [] }))
    .digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
