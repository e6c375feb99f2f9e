import { checkExecutionParameters } from '../../../pipeline/execution-parameters';
import { notFound, validationError } from '../../core/errors';
import type { OperationHandler } from '../../core/service';
import type { StateStore } from '../../state/store';
import { parseDefinition } from '../../engine/definition';
import type { CacheHit, CacheQuery, EngineDeps } from '../../engine/deps';
import {
  TERMINAL_EXECUTION_STATUSES,
  epochSeconds,
  type ExecutionRecord,
  type StepState,
} from '../../engine/execution-record';
import { ExecutionRun } from '../../engine/executor';
import { resolveValue } from '../../engine/expressions';
import { resolveParameters, type SuppliedParameter } from '../../engine/parameters';
import { randomId } from '../../engine/resource-names';
import { pipelineExecutionArn, type ArnContext } from './arns';
import { createdBetween, listPage } from './pagination';
import { parallelism, type PipelineService } from './pipelines';

const COLLECTION = 'sagemaker/executions';

/** Members of the stored record that the API never shows. */
type PublicExecution = Omit<
  ExecutionRecord,
  | 'PipelineDefinition'
  | 'Parameters'
  | 'Steps'
  | 'RunnerPid'
  | 'ClientRequestToken'
  | 'ExecutionId'
  | 'PipelineName'
>;

export interface ExecutionServiceOptions {
  readonly store: StateStore;
  readonly arns: ArnContext;
  readonly pipelines: PipelineService;
  /** Builds the executor's deps (jobs, models, registry, Lambda, S3). */
  readonly engineDeps: (service: ExecutionService) => EngineDeps;
}

/** Pipeline executions: start (running the engine in this process), describe, list, steps, stop. */
export class ExecutionService {
  private readonly runs = new Map<string, ExecutionRun>();
  private readonly deps: EngineDeps;

  constructor(private readonly options: ExecutionServiceOptions) {
    this.deps = options.engineDeps(this);
  }

  start(input: Record<string, unknown>): { PipelineExecutionArn: string } {
    const pipeline = this.options.pipelines.get(input.PipelineName);
    const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : undefined;
    if (token) {
      const earlier = this.all().find(
        (record) => record.PipelineArn === pipeline.PipelineArn && record.ClientRequestToken === token,
      );
      if (earlier) return { PipelineExecutionArn: earlier.PipelineExecutionArn };
    }
    const definition = parseDefinition(pipeline.PipelineDefinition);
    const supplied = suppliedParameters(input.PipelineParameters);
    const issues = checkExecutionParameters(
      definition,
      Object.fromEntries(supplied.map((p) => [p.Name, p.Value])),
    );
    if (issues.length > 0) {
      throw validationError(
        `Invalid PipelineParameters: ${issues.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`,
      );
    }
    const parameters = resolveParameters(definition.Parameters ?? [], supplied);
    const parallel =
      parallelism(input.ParallelismConfiguration).ParallelismConfiguration ??
      pipeline.ParallelismConfiguration;
    const executionId = randomId(12);
    const now = epochSeconds();
    const record: ExecutionRecord = {
      PipelineArn: pipeline.PipelineArn,
      PipelineName: pipeline.PipelineName,
      PipelineExecutionArn: pipelineExecutionArn(this.options.arns, pipeline.PipelineName, executionId),
      ExecutionId: executionId,
      PipelineExecutionDisplayName:
        typeof input.PipelineExecutionDisplayName === 'string'
          ? input.PipelineExecutionDisplayName
          : `execution-${Math.round(now * 1000)}`,
      ...(typeof input.PipelineExecutionDescription === 'string'
        ? { PipelineExecutionDescription: input.PipelineExecutionDescription }
        : {}),
      PipelineExecutionStatus: 'Executing',
      CreationTime: now,
      LastModifiedTime: now,
      ...(parallel ? { ParallelismConfiguration: parallel } : {}),
      PipelineVersionId: pipeline.PipelineVersionId,
      ...(token ? { ClientRequestToken: token } : {}),
      PipelineDefinition: pipeline.PipelineDefinition,
      Parameters: parameters,
      Steps: [],
      RunnerPid: process.pid,
    };
    this.save(record);
    this.options.pipelines.save({ ...pipeline, LastRunTime: now });
    void this.run(record, definition.PipelineExperimentConfig);
    return { PipelineExecutionArn: record.PipelineExecutionArn };
  }

  private async run(
    record: ExecutionRecord,
    experimentConfig: Record<string, unknown> | undefined,
  ): Promise<void> {
    const run = new ExecutionRun({ record, deps: this.deps, persist: (updated) => this.save(updated) });
    this.runs.set(record.PipelineExecutionArn, run);
    record.PipelineExperimentConfig = await this.experimentConfig(record, experimentConfig);
    run.start();
    await run.finished;
    this.runs.delete(record.PipelineExecutionArn);
  }

  /** ExperimentName / TrialName resolved from the definition's PipelineExperimentConfig (or the SDK defaults). */
  private async experimentConfig(
    record: ExecutionRecord,
    config: Record<string, unknown> | undefined,
  ): Promise<{ ExperimentName?: string; TrialName?: string }> {
    const scope = {
      parameters: new Map(record.Parameters.map((parameter) => [parameter.name, parameter])),
      executionVariable: (name: string) =>
        ({
          PipelineName: record.PipelineName,
          PipelineExecutionId: record.ExecutionId,
          PipelineArn: record.PipelineArn,
          PipelineExecutionArn: record.PipelineExecutionArn,
        })[name],
      stepProperties: () => undefined,
      readObject: () => Promise.reject(new Error('PipelineExperimentConfig cannot read S3')),
    };
    try {
      const resolved = (await resolveValue(config ?? {}, scope)) as Record<string, unknown>;
      return {
        ExperimentName: String(resolved.ExperimentName ?? record.PipelineName.toLowerCase()),
        TrialName: String(resolved.TrialName ?? record.ExecutionId),
      };
    } catch {
      return { ExperimentName: record.PipelineName.toLowerCase(), TrialName: record.ExecutionId };
    }
  }

  get(arn: unknown): ExecutionRecord {
    const record =
      typeof arn === 'string' ? this.options.store.get<ExecutionRecord>(COLLECTION, arn) : undefined;
    if (!record) throw notFound('ResourceNotFound', `Pipeline execution '${String(arn)}' does not exist.`);
    return record;
  }

  describe(input: Record<string, unknown>): PublicExecution & { CreatedBy: object; LastModifiedBy: object } {
    return { ...publicExecution(this.get(input.PipelineExecutionArn)), CreatedBy: {}, LastModifiedBy: {} };
  }

  list(input: Record<string, unknown>): Record<string, unknown> {
    const pipeline = this.options.pipelines.get(input.PipelineName);
    const records = this.all()
      .filter((record) => record.PipelineArn === pipeline.PipelineArn)
      .filter((record) => createdBetween(record.CreationTime, input.CreatedAfter, input.CreatedBefore));
    const page = listPage(records, input, {
      sortKeys: { CreationTime: 'CreationTime', PipelineExecutionArn: 'PipelineExecutionArn' },
      defaultSortBy: 'CreationTime',
      defaultOrder: 'Descending',
    });
    return {
      PipelineExecutionSummaries: page.items.map((record) => ({
        PipelineExecutionArn: record.PipelineExecutionArn,
        StartTime: record.CreationTime,
        PipelineExecutionStatus: record.PipelineExecutionStatus,
        ...(record.PipelineExecutionDescription
          ? { PipelineExecutionDescription: record.PipelineExecutionDescription }
          : {}),
        PipelineExecutionDisplayName: record.PipelineExecutionDisplayName,
        ...(record.FailureReason ? { PipelineExecutionFailureReason: record.FailureReason } : {}),
      })),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  /** ListPipelineExecutionSteps: newest first unless SortOrder says Ascending; MaxResults 1-100. */
  listSteps(input: Record<string, unknown>): Record<string, unknown> {
    const record = this.get(input.PipelineExecutionArn);
    const page = listPage(record.Steps, input, {
      sortKeys: { StartTime: 'StartTime' },
      defaultSortBy: 'StartTime',
      defaultOrder: 'Descending',
    });
    return {
      PipelineExecutionSteps: page.items.map(publicStep),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  stop(input: Record<string, unknown>): { PipelineExecutionArn: string } {
    const record = this.get(input.PipelineExecutionArn);
    if (TERMINAL_EXECUTION_STATUSES.includes(record.PipelineExecutionStatus)) {
      throw validationError(
        `Pipeline execution '${record.PipelineExecutionArn}' is already ${record.PipelineExecutionStatus}; only Executing executions can be stopped.`,
      );
    }
    const run = this.runs.get(record.PipelineExecutionArn);
    if (run) run.stop();
    else this.save({ ...record, PipelineExecutionStatus: 'Stopped', LastModifiedTime: epochSeconds() });
    return { PipelineExecutionArn: record.PipelineExecutionArn };
  }

  operations(): Record<string, OperationHandler> {
    return {
      StartPipelineExecution: (input) => this.start(input),
      DescribePipelineExecution: (input) => this.describe(input),
      ListPipelineExecutions: (input) => this.list(input),
      ListPipelineExecutionSteps: (input) => this.listSteps(input),
      StopPipelineExecution: (input) => this.stop(input),
      DescribePipelineDefinitionForExecution: (input) => {
        const record = this.get(input.PipelineExecutionArn);
        return { PipelineDefinition: record.PipelineDefinition, CreationTime: record.CreationTime };
      },
      ListPipelineParametersForExecution: (input) => {
        const record = this.get(input.PipelineExecutionArn);
        const page = listPage(record.Parameters, input, {
          sortKeys: { Name: 'name' },
          defaultSortBy: 'Name',
          defaultOrder: 'Ascending',
        });
        return {
          PipelineParameters: page.items.map((parameter) => ({
            Name: parameter.name,
            Value: parameter.text,
          })),
          ...(page.nextToken ? { NextToken: page.nextToken } : {}),
        };
      },
    };
  }

  /** An earlier successful run of the same step with the same cache key (the source of a cache hit). */
  findCachedStep(query: CacheQuery): CacheHit | undefined {
    const candidates = this.all()
      .filter((record) => record.PipelineArn === query.pipelineArn)
      .flatMap((record) =>
        record.Steps.filter(
          (step) =>
            step.StepName === query.stepName &&
            step.StepStatus === 'Succeeded' &&
            step.cacheKey === query.cacheKey &&
            (step.EndTime ?? 0) >= query.notBefore,
        ).map((step) => ({ record, step })),
      )
      .sort((a, b) => (b.step.EndTime ?? 0) - (a.step.EndTime ?? 0));
    const newest = candidates[0];
    if (!newest) return undefined;
    const source =
      newest.step.CacheHitResult?.SourcePipelineExecutionArn ?? newest.record.PipelineExecutionArn;
    return { pipelineExecutionArn: source, step: newest.step };
  }

  /**
   * At start: executions left Executing or Stopping by a local AWS that is gone are Failed, with their
   * running steps, since nothing will finish them.
   */
  failInterrupted(): void {
    for (const record of this.all()) {
      if (
        TERMINAL_EXECUTION_STATUSES.includes(record.PipelineExecutionStatus) ||
        this.runs.has(record.PipelineExecutionArn)
      )
        continue;
      if (
        record.RunnerPid !== undefined &&
        record.RunnerPid !== process.pid &&
        processAlive(record.RunnerPid)
      )
        continue;
      const reason = `The local AWS stopped while this execution was running (process ${record.RunnerPid ?? 'unknown'}); start a new execution.`;
      const now = epochSeconds();
      for (const step of record.Steps) {
        if (['Starting', 'Executing', 'Stopping'].includes(step.StepStatus))
          Object.assign(step, { StepStatus: 'Failed', FailureReason: reason, EndTime: now });
      }
      this.save({
        ...record,
        PipelineExecutionStatus: 'Failed',
        FailureReason: reason,
        LastModifiedTime: now,
      });
    }
  }

  /** On shutdown: running executions are failed (their processes killed) and awaited. */
  async shutdown(): Promise<void> {
    const runs = [...this.runs.values()];
    for (const run of runs)
      run.shutdown('The local AWS stopped while this execution was running; start a new execution.');
    await Promise.all(runs.map((run) => run.finished));
  }

  private all(): ExecutionRecord[] {
    return this.options.store.list<ExecutionRecord>(COLLECTION);
  }

  private save(record: ExecutionRecord): void {
    this.options.store.put(COLLECTION, record.PipelineExecutionArn, record);
  }
}

function suppliedParameters(value: unknown): SuppliedParameter[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw validationError('PipelineParameters must be a list of {Name, Value}');
  return value.map((parameter: unknown, index) => {
    const { Name, Value } = (parameter ?? {}) as { Name?: unknown; Value?: unknown };
    if (typeof Name !== 'string' || typeof Value !== 'string') {
      throw validationError(
        `PipelineParameters[${index}] must be {Name: string, Value: string}; got ${JSON.stringify(parameter)}`,
      );
    }
    if (Value.length > 1024)
      throw validationError(`PipelineParameters[${index}] (${Name}): values are at most 1024 characters`);
    return { Name, Value };
  });
}

function publicExecution(record: ExecutionRecord): PublicExecution {
  const {
    PipelineDefinition: _definition,
    Parameters: _parameters,
    Steps: _steps,
    RunnerPid: _pid,
    ClientRequestToken: _token,
    ExecutionId: _id,
    PipelineName: _name,
    ...rest
  } = record;
  return rest;
}

function publicStep(step: StepState): Record<string, unknown> {
  const { properties: _properties, cacheKey: _cacheKey, ...rest } = step;
  return rest;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
