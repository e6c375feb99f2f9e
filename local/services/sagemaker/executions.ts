import type {
  ListPipelineExecutionStepsRequest,
  ListPipelineExecutionsRequest,
  ListPipelineParametersForExecutionRequest,
  Parameter,
  StartPipelineExecutionRequest,
} from '@aws-sdk/client-sagemaker';

import { checkExecutionParameters } from '../../../pipeline/execution-parameters';
import { notFound, validationError } from '../../core/errors';
import { optional } from '../../core/optional';
import type { Page } from '../../core/pagination';
import type { Validated } from '../../core/validated';
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
import { resolveParameters, type ParameterValue, type SuppliedParameter } from '../../engine/parameters';
import { randomId } from '../../engine/resource-names';
import { pipelineExecutionArn, type ArnContext } from './arns';
import { createdBetween, listPage } from './pagination';
import { parallelism, type PipelineService } from './pipelines';

const COLLECTION = 'sagemaker/executions';

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

  /** StartPipelineExecution; a repeated start (same ClientRequestToken) answers the execution it started. */
  start(input: Validated<StartPipelineExecutionRequest>): ExecutionRecord {
    const pipeline = this.options.pipelines.get(input.PipelineName);
    const token = input.ClientRequestToken;
    if (token) {
      const earlier = this.all().find(
        (record) => record.PipelineArn === pipeline.PipelineArn && record.ClientRequestToken === token,
      );
      if (earlier) return earlier;
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
        input.PipelineExecutionDisplayName ?? `execution-${Math.round(now * 1000)}`,
      ...optional('PipelineExecutionDescription', input.PipelineExecutionDescription),
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
    return record;
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

  get(arn: string): ExecutionRecord {
    const record = this.options.store.get<ExecutionRecord>(COLLECTION, arn);
    if (!record) throw notFound('ResourceNotFound', `Pipeline execution '${arn}' does not exist.`);
    return record;
  }

  list(input: Validated<ListPipelineExecutionsRequest>): Page<ExecutionRecord> {
    const pipeline = this.options.pipelines.get(input.PipelineName);
    const records = this.all()
      .filter((record) => record.PipelineArn === pipeline.PipelineArn)
      .filter((record) => createdBetween(record.CreationTime, input.CreatedAfter, input.CreatedBefore));
    return listPage(records, input, {
      sortKeys: { CreationTime: 'CreationTime', PipelineExecutionArn: 'PipelineExecutionArn' },
      defaultSortBy: 'CreationTime',
      defaultOrder: 'Descending',
    });
  }

  /** ListPipelineExecutionSteps: newest first unless SortOrder says Ascending; MaxResults 1-100. */
  listSteps(input: Validated<ListPipelineExecutionStepsRequest>): Page<StepState> {
    return listPage(this.get(input.PipelineExecutionArn ?? '').Steps, input, {
      sortKeys: { StartTime: 'StartTime' },
      defaultSortBy: 'StartTime',
      defaultOrder: 'Descending',
    });
  }

  /** ListPipelineParametersForExecution: the execution's resolved parameters, by name. */
  listParameters(input: Validated<ListPipelineParametersForExecutionRequest>): Page<ParameterValue> {
    return listPage(this.get(input.PipelineExecutionArn).Parameters, input, {
      sortKeys: { Name: 'name' },
      defaultSortBy: 'Name',
      defaultOrder: 'Ascending',
    });
  }

  stop(arn: string): ExecutionRecord {
    const record = this.get(arn);
    if (TERMINAL_EXECUTION_STATUSES.includes(record.PipelineExecutionStatus)) {
      throw validationError(
        `Pipeline execution '${record.PipelineExecutionArn}' is already ${record.PipelineExecutionStatus}; only Executing executions can be stopped.`,
      );
    }
    const run = this.runs.get(record.PipelineExecutionArn);
    if (run) run.stop();
    else this.save({ ...record, PipelineExecutionStatus: 'Stopped', LastModifiedTime: epochSeconds() });
    return record;
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

function suppliedParameters(value: readonly Validated<Parameter>[] | undefined): SuppliedParameter[] {
  return (value ?? []).map(({ Name, Value }, index) => {
    if (Value.length > 1024)
      throw validationError(`PipelineParameters[${index}] (${Name}): values are at most 1024 characters`);
    return { Name, Value };
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
