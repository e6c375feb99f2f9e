import { randomBytes, randomUUID } from 'node:crypto';

import type {
  CreateMonitoringScheduleRequest,
  ListMonitoringExecutionsRequest,
  ListMonitoringSchedulesRequest,
  MonitoringExecutionSummary,
  MonitoringScheduleConfig,
  UpdateMonitoringScheduleRequest,
} from '@aws-sdk/client-sagemaker';

import { AwsError, notFound, validationError } from '../../../core/errors';
import type { Page } from '../../../core/pagination';
import type { Validated } from '../../../core/validated';
import { epochSeconds } from '../../../engine/execution-record';
import type { StateStore } from '../../../state/store';
import { resourceArn, type ArnContext } from '../arns';
import { checkName } from '../input';
import type { EndpointService } from '../endpoints';
import { createdBetween, listPage } from '../pagination';
import type { TagStore } from '../tags';
import type { BackgroundJobs } from './background-jobs';
import type { JobDefinitionService } from './job-definitions';
import { monitoringJobOf, processingRequest, type MonitoringJob } from './monitoring-job';
import { analysisWindow, checkScheduleConfig, nextRun, parseScheduleExpression } from './schedule-expression';

type ScheduleStatus = 'Pending' | 'Failed' | 'Scheduled' | 'Stopped';
type ExecutionStatus = NonNullable<MonitoringExecutionSummary['MonitoringExecutionStatus']>;

/** Times as epoch seconds, the way every record of the local SageMaker stores them. */
type Stored<T> = Omit<T, 'CreationTime' | 'LastModifiedTime' | 'ScheduledTime'> & {
  readonly CreationTime: number;
  readonly LastModifiedTime: number;
};

export type ExecutionRecord = Stored<MonitoringExecutionSummary> & {
  readonly id: string;
  readonly ScheduledTime: number;
  readonly MonitoringExecutionStatus: ExecutionStatus;
};

export interface ScheduleRecord {
  readonly MonitoringScheduleName: string;
  readonly MonitoringScheduleArn: string;
  readonly MonitoringScheduleStatus: ScheduleStatus;
  readonly MonitoringType: 'DataQuality';
  readonly FailureReason?: string;
  readonly CreationTime: number;
  readonly LastModifiedTime: number;
  readonly MonitoringScheduleConfig: MonitoringScheduleConfig;
  readonly EndpointName: string;
  readonly LastMonitoringExecutionSummary?: Omit<ExecutionRecord, 'id'>;
}

const SCHEDULES = 'sagemaker/monitoring-schedules';
const EXECUTIONS = 'sagemaker/monitoring-executions';

export interface MonitoringScheduleOptions {
  readonly store: StateStore;
  readonly arns: ArnContext;
  readonly tags: TagStore;
  /** The endpoints whose capture the schedules analyse. */
  readonly endpoints: Pick<EndpointService, 'get'>;
  readonly definitions: JobDefinitionService;
  readonly jobs: BackgroundJobs;
}

/**
 * Monitoring schedules and their executions. A `NOW` schedule runs once at once; a cron schedule runs at
 * the top of each hour it names (UTC). Each run is a processing job on the schedule's image over the
 * endpoint's captured data of the analysis window; the job's exit message decides Completed or
 * CompletedWithViolations, as with Model Monitor.
 */
export class MonitoringScheduleService {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopping = false;

  constructor(private readonly options: MonitoringScheduleOptions) {}

  create(input: Validated<CreateMonitoringScheduleRequest>): ScheduleRecord {
    const name = checkName('MonitoringScheduleName', input.MonitoringScheduleName);
    const arn = resourceArn(this.options.arns, 'monitoring-schedule', name);
    if (this.find(name))
      throw new AwsError('ResourceInUse', `Monitoring schedule with name ${name} already exists (${arn})`);
    const { job } = this.checkConfig(input.MonitoringScheduleConfig);
    const now = epochSeconds();
    const record: ScheduleRecord = {
      MonitoringScheduleName: name,
      MonitoringScheduleArn: arn,
      MonitoringScheduleStatus: 'Scheduled',
      MonitoringType: 'DataQuality',
      CreationTime: now,
      LastModifiedTime: now,
      MonitoringScheduleConfig: input.MonitoringScheduleConfig,
      EndpointName: job.endpointName,
    };
    this.put(record);
    if (input.Tags?.length) this.options.tags.add(arn, input.Tags);
    this.arm(record);
    return record;
  }

  update(input: Validated<UpdateMonitoringScheduleRequest>): ScheduleRecord {
    const record = this.describe(input.MonitoringScheduleName);
    const { job } = this.checkConfig(input.MonitoringScheduleConfig);
    const updated = this.patch(record.MonitoringScheduleName, {
      MonitoringScheduleConfig: input.MonitoringScheduleConfig,
      EndpointName: job.endpointName,
    });
    this.disarm(record.MonitoringScheduleName);
    if (updated.MonitoringScheduleStatus === 'Scheduled') this.arm(updated);
    return updated;
  }

  describe(name: string): ScheduleRecord {
    const record = this.find(name);
    if (!record) throw notFound('ResourceNotFound', `Monitoring schedule ${name} does not exist.`);
    return record;
  }

  start(name: string): ScheduleRecord {
    const record = this.describe(name);
    if (record.MonitoringScheduleStatus === 'Scheduled') return record;
    const started = this.patch(record.MonitoringScheduleName, { MonitoringScheduleStatus: 'Scheduled' });
    this.arm(started);
    return started;
  }

  stop(name: string): ScheduleRecord {
    const record = this.describe(name);
    this.disarm(record.MonitoringScheduleName);
    return this.patch(record.MonitoringScheduleName, { MonitoringScheduleStatus: 'Stopped' });
  }

  delete(name: string): ScheduleRecord {
    const record = this.describe(name);
    this.disarm(record.MonitoringScheduleName);
    this.options.store.delete(SCHEDULES, record.MonitoringScheduleName.toLowerCase());
    return record;
  }

  /** The schedule that runs a job definition, if any (a definition in use cannot be deleted). */
  scheduleUsing(definitionName: string): string | undefined {
    return this.options.store
      .list<ScheduleRecord>(SCHEDULES)
      .find((record) => record.MonitoringScheduleConfig.MonitoringJobDefinitionName === definitionName)
      ?.MonitoringScheduleName;
  }

  list(input: Validated<ListMonitoringSchedulesRequest>): Page<ScheduleRecord> {
    const contains = input.NameContains?.toLowerCase();
    const records = this.options.store
      .list<ScheduleRecord>(SCHEDULES)
      .filter((record) => !contains || record.MonitoringScheduleName.toLowerCase().includes(contains))
      .filter((record) => !input.EndpointName || record.EndpointName === input.EndpointName)
      .filter((record) => !input.StatusEquals || record.MonitoringScheduleStatus === input.StatusEquals)
      .filter(
        (record) =>
          !input.MonitoringJobDefinitionName ||
          record.MonitoringScheduleConfig.MonitoringJobDefinitionName === input.MonitoringJobDefinitionName,
      );
    return listPage(records, input, {
      sortKeys: {
        Name: 'MonitoringScheduleName',
        CreationTime: 'CreationTime',
        Status: 'MonitoringScheduleStatus',
      },
      defaultSortBy: 'CreationTime',
      defaultOrder: 'Descending',
    });
  }

  listExecutions(input: Validated<ListMonitoringExecutionsRequest>): Page<ExecutionRecord> {
    const records = this.options.store
      .list<ExecutionRecord>(EXECUTIONS)
      .filter(
        (record) =>
          !input.MonitoringScheduleName || record.MonitoringScheduleName === input.MonitoringScheduleName,
      )
      .filter((record) => !input.EndpointName || record.EndpointName === input.EndpointName)
      .filter((record) => !input.StatusEquals || record.MonitoringExecutionStatus === input.StatusEquals)
      .filter(
        (record) =>
          !input.MonitoringJobDefinitionName ||
          record.MonitoringJobDefinitionName === input.MonitoringJobDefinitionName,
      )
      .filter((record) =>
        createdBetween(record.ScheduledTime, input.ScheduledTimeAfter, input.ScheduledTimeBefore),
      )
      .filter((record) =>
        createdBetween(record.CreationTime, input.CreationTimeAfter, input.CreationTimeBefore),
      );
    return listPage(records, input, {
      sortKeys: {
        CreationTime: 'CreationTime',
        ScheduledTime: 'ScheduledTime',
        Status: 'MonitoringExecutionStatus',
      },
      defaultSortBy: 'ScheduledTime',
      defaultOrder: 'Descending',
    });
  }

  /** At start: cron schedules are armed again; executions cut short by a stop are Failed. */
  restore(): void {
    for (const record of this.options.store.list<ExecutionRecord>(EXECUTIONS)) {
      if (
        record.MonitoringExecutionStatus === 'InProgress' ||
        record.MonitoringExecutionStatus === 'Pending'
      ) {
        this.saveExecution({
          ...record,
          MonitoringExecutionStatus: 'Failed',
          FailureReason: 'The local AWS stopped while this monitoring execution was running',
          LastModifiedTime: epochSeconds(),
        });
      }
    }
    for (const record of this.options.store.list<ScheduleRecord>(SCHEDULES)) {
      const expression = parseScheduleExpression(
        record.MonitoringScheduleConfig.ScheduleConfig?.ScheduleExpression,
      );
      if (record.MonitoringScheduleStatus === 'Scheduled' && expression.kind === 'hourly') this.arm(record);
    }
  }

  /** Clears every timer; running executions are stopped by the background jobs' shutdown. */
  shutdown(): void {
    this.stopping = true;
    for (const name of [...this.timers.keys()]) this.disarm(name);
  }

  /** Validates a schedule config: the expression and window, the job, and the endpoint's data capture. */
  private checkConfig(config: MonitoringScheduleConfig | undefined): { job: MonitoringJob } {
    if (!config?.ScheduleConfig) throw validationError('MonitoringScheduleConfig.ScheduleConfig is required');
    checkScheduleConfig(config.ScheduleConfig);
    const job = monitoringJobOf(config, (name) => this.options.definitions.find(name));
    this.captureDestination(job.endpointName);
    return { job };
  }

  /** The endpoint's data-capture destination, or a ValidationException naming what is missing. */
  private captureDestination(endpointName: string): string {
    const capture = this.options.endpoints.get(endpointName).DataCaptureConfig;
    // Capture runs whenever the config asks for it (EnableCapture defaults to true, as on AWS).
    if (!capture || capture.EnableCapture === false || !capture.DestinationS3Uri) {
      throw validationError(
        `Endpoint ${endpointName} does not capture data: monitoring needs an endpoint config with DataCaptureConfig (EnableCapture true, a DestinationS3Uri, CaptureOptions with Input)`,
      );
    }
    return capture.DestinationS3Uri;
  }

  /** NOW: one run at once. Cron: a timer for the next hour the expression names. */
  private arm(record: ScheduleRecord): void {
    if (this.stopping) return;
    const expression = parseScheduleExpression(
      record.MonitoringScheduleConfig.ScheduleConfig?.ScheduleExpression,
    );
    if (expression.kind === 'now') {
      void this.runExecution(record.MonitoringScheduleName, new Date());
      return;
    }
    const at = nextRun(expression, new Date());
    const timer = setTimeout(() => {
      this.timers.delete(record.MonitoringScheduleName);
      const current = this.find(record.MonitoringScheduleName);
      if (!current || current.MonitoringScheduleStatus !== 'Scheduled') return;
      void this.runExecution(current.MonitoringScheduleName, at);
      this.arm(current);
    }, at.getTime() - Date.now()).unref();
    this.timers.set(record.MonitoringScheduleName, timer);
  }

  private disarm(name: string): void {
    clearTimeout(this.timers.get(name));
    this.timers.delete(name);
  }

  /** One monitoring execution: Pending → InProgress → Completed | CompletedWithViolations | Failed | Stopped. */
  private async runExecution(scheduleName: string, scheduled: Date): Promise<void> {
    const schedule = this.find(scheduleName);
    if (!schedule) return;
    const now = epochSeconds();
    let execution: ExecutionRecord = {
      id: randomUUID(),
      MonitoringScheduleName: scheduleName,
      ScheduledTime: Math.floor(scheduled.getTime() / 1000),
      CreationTime: now,
      LastModifiedTime: now,
      MonitoringExecutionStatus: 'Pending',
      EndpointName: schedule.EndpointName,
      MonitoringType: 'DataQuality',
      ...(schedule.MonitoringScheduleConfig.MonitoringJobDefinitionName
        ? { MonitoringJobDefinitionName: schedule.MonitoringScheduleConfig.MonitoringJobDefinitionName }
        : {}),
    };
    const save = (changes: Partial<ExecutionRecord>) => {
      execution = { ...execution, ...changes, LastModifiedTime: epochSeconds() };
      this.saveExecution(execution);
      const { id: _id, ...summary } = execution;
      if (this.find(scheduleName)) this.patch(scheduleName, { LastMonitoringExecutionSummary: summary });
    };
    save({});
    try {
      const job = monitoringJobOf(schedule.MonitoringScheduleConfig, (name) =>
        this.options.definitions.find(name),
      );
      const captureS3Uri = this.captureDestination(job.endpointName);
      const window = analysisWindow(schedule.MonitoringScheduleConfig.ScheduleConfig ?? {}, scheduled);
      const jobName = `model-monitoring-${scheduled.toISOString().slice(0, 16).replace(/[-T:]/g, '')}-${randomBytes(12).toString('hex')}`;
      const request = processingRequest({ job, jobName, scheduleName, captureS3Uri, scheduled, window });
      const outcome = this.options.jobs.start({
        kind: 'Processing',
        name: jobName,
        request,
        onCreated: (arn) => save({ MonitoringExecutionStatus: 'InProgress', ProcessingJobArn: arn }),
      });
      const result = await outcome;
      const exitMessage = String(result.description.ExitMessage ?? '');
      save({
        MonitoringExecutionStatus:
          result.status === 'Completed'
            ? exitMessage.startsWith('CompletedWithViolations')
              ? 'CompletedWithViolations'
              : 'Completed'
            : result.status,
        ...(result.failureReason ? { FailureReason: result.failureReason } : {}),
      });
    } catch (error) {
      save({ MonitoringExecutionStatus: 'Failed', FailureReason: (error as Error).message });
    }
  }

  private find(name: string): ScheduleRecord | undefined {
    return this.options.store.get<ScheduleRecord>(SCHEDULES, name.toLowerCase());
  }

  private put(record: ScheduleRecord): void {
    this.options.store.put(SCHEDULES, record.MonitoringScheduleName.toLowerCase(), record);
  }

  private patch(name: string, changes: Partial<ScheduleRecord>): ScheduleRecord {
    const current = this.describe(name);
    const next: ScheduleRecord = { ...current, ...changes, LastModifiedTime: epochSeconds() };
    this.put(next);
    return next;
  }

  private saveExecution(record: ExecutionRecord): void {
    this.options.store.put(EXECUTIONS, record.id, record);
  }
}
