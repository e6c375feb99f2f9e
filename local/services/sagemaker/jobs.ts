import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ObjectStoreApi } from '../../core/deps';
import { AwsError, notFound, validationError } from '../../core/errors';
import type { Page } from '../../core/pagination';
import type { StateStore } from '../../state/store';
import type { JobKind, JobOutcome, JobRequest } from '../../engine/deps';
import { epochSeconds } from '../../engine/execution-record';
import { createJobDirectory } from '../../runtimes/job-directory';
import { JobLog } from '../../runtimes/job-log';
import { JobFailure, JobStopped, type JobType, type ModelContainer } from '../../runtimes/job-runtime';
import { findPython, pythonEnvironment } from '../../runtimes/python';
import { jobRuntimeFor } from '../../runtimes/registry';
import { jobForkServerReady, SANDBOX_FOLDER } from '../../runtimes/sandbox';
import { resourceArn, type ArnContext } from './arns';
import { runtimeLimit, type RuntimeLimit } from './max-runtime';
import { listPage, type ListRequest } from './pagination';

/** How each job kind is named in the API. */
export interface JobShape {
  readonly type: JobType;
  readonly collection: string;
  readonly resource: string;
  readonly nameMember: string;
  readonly arnMember: string;
  readonly statusMember: string;
  readonly startMember: string;
  readonly endMember: string;
  readonly summaryPlural: string;
}

export const JOB_SHAPES: Readonly<Record<JobKind, JobShape>> = {
  Processing: {
    type: 'processing',
    collection: 'sagemaker/processing-jobs',
    resource: 'processing-job',
    nameMember: 'ProcessingJobName',
    arnMember: 'ProcessingJobArn',
    statusMember: 'ProcessingJobStatus',
    startMember: 'ProcessingStartTime',
    endMember: 'ProcessingEndTime',
    summaryPlural: 'ProcessingJobSummaries',
  },
  Training: {
    type: 'training',
    collection: 'sagemaker/training-jobs',
    resource: 'training-job',
    nameMember: 'TrainingJobName',
    arnMember: 'TrainingJobArn',
    statusMember: 'TrainingJobStatus',
    startMember: 'TrainingStartTime',
    endMember: 'TrainingEndTime',
    summaryPlural: 'TrainingJobSummaries',
  },
  Transform: {
    type: 'transform',
    collection: 'sagemaker/transform-jobs',
    resource: 'transform-job',
    nameMember: 'TransformJobName',
    arnMember: 'TransformJobArn',
    statusMember: 'TransformJobStatus',
    startMember: 'TransformStartTime',
    endMember: 'TransformEndTime',
    summaryPlural: 'TransformJobSummaries',
  },
};

/**
 * A job as stored: its Describe* answer with times in epoch seconds. It starts as the Create*Job request a
 * pipeline step or CreateProcessingJob sent (arguments the engine resolved, untyped), plus what the job adds.
 */
export type JobRecord = Record<string, unknown>;

export interface JobServiceOptions {
  readonly store: StateStore;
  readonly arns: ArnContext;
  readonly objects: ObjectStoreApi;
  /** The container of a model (Transform jobs name a model, not an image). */
  readonly modelContainer: (modelName: string) => ModelContainer | undefined;
  readonly env?: NodeJS.ProcessEnv;
}

/** SageMaker jobs: records in the Describe* shape, run by the runtime their image maps to. */
export class JobService {
  constructor(private readonly options: JobServiceOptions) {}

  /** Creates the job record, runs the job to its end and returns how it ended. */
  async run(job: JobRequest): Promise<JobOutcome> {
    const shape = JOB_SHAPES[job.kind];
    const arn = resourceArn(this.options.arns, shape.resource, job.name);
    const now = epochSeconds();
    const record: JobRecord = {
      ...job.request,
      [shape.arnMember]: arn,
      [shape.statusMember]: 'InProgress',
      CreationTime: now,
      LastModifiedTime: now,
      [shape.startMember]: now,
    };
    if (job.kind === 'Training') secondaryStatus(record, 'Starting');
    this.save(job.kind, record);
    job.onCreated?.(arn);
    const limit = runtimeLimit(job.request, job.signal);
    const outcome = await this.execute(job, record, limit).finally(() => limit.clear());
    const end = epochSeconds();
    Object.assign(record, { LastModifiedTime: end, [shape.endMember]: end });
    if (job.kind === 'Training') {
      record.TrainingTimeInSeconds = Math.round(end - now);
      record.BillableTimeInSeconds = Math.round(end - now);
    }
    this.save(job.kind, record);
    return { ...outcome, arn, description: record };
  }

  private async execute(
    job: JobRequest,
    record: JobRecord,
    limit: RuntimeLimit,
  ): Promise<Omit<JobOutcome, 'arn' | 'description'>> {
    const { store } = this.options;
    const shape = JOB_SHAPES[job.kind];
    const directory = createJobDirectory(store.root, job.name);
    const log = new JobLog(directory.logFile);
    try {
      const model = job.kind === 'Transform' ? this.modelOf(job) : undefined;
      const imageUri = model?.Image ?? this.imageOf(job);
      log.note(`${shape.type} job ${job.name} on image ${imageUri}`);
      const image = jobRuntimeFor(imageUri, shape.type, this.options.env);
      if (image.warning) log.note(`warning: ${image.warning}`);
      if (job.kind === 'Training') secondaryStatus(record, 'Training');
      const python = findPython(this.options.env);
      const env = this.options.env ?? process.env;
      // The clock starts with the job's own work (staging on), not while the local AWS probes its Python
      // or its fork server finishes importing the ML stack.
      await jobForkServerReady(
        {
          python,
          env: { ...pythonEnvironment(env), ...stringValues(job.request.Environment) },
          probeDir: directory.root,
        },
        { signal: limit.signal, log },
      );
      limit.start();
      const details = await image.runtime({
        name: job.name,
        request: job.request,
        directory,
        log,
        objects: this.options.objects,
        signal: limit.signal,
        python,
        env,
        ...(model ? { model } : {}),
      });
      Object.assign(record, details);
      endJob(job.kind, record, 'Completed');
      removeAllBut(directory.root, path.basename(directory.logFile));
      return { status: 'Completed' };
    } catch (error) {
      if (error instanceof JobStopped) Object.assign(record, error.details);
      const exceeded = limit.exceeded();
      if (exceeded !== undefined && !job.signal.aborted)
        return this.maxRuntimeExceeded(job, record, exceeded, log);
      if (error instanceof JobStopped || job.signal.aborted) {
        endJob(job.kind, record, 'Stopped');
        log.note('the job was stopped');
        return { status: 'Stopped' };
      }
      const failure = asJobFailure(error);
      log.note(`the job failed: ${failure.failureReason}`);
      log.note(`its /opt/ml folder is kept for inspection at ${directory.optMl}`);
      Object.assign(record, failure.details, { FailureReason: failure.failureReason });
      endJob(job.kind, record, 'Failed');
      return {
        status: 'Failed',
        failureReason: failure.failureReason,
        ...(failure.failureClass === 'InternalServerError'
          ? { exceptionType: 'SageMaker.JOB_INTERNAL_ERROR' }
          : {}),
      };
    } finally {
      log.close();
      fs.rmSync(path.join(directory.root, SANDBOX_FOLDER), { recursive: true, force: true });
    }
  }

  /**
   * The service stops a job that outlives StoppingCondition.MaxRuntimeInSeconds: status Stopped (training:
   * SecondaryStatus MaxRuntimeExceeded) and no FailureReason. The pipeline step fails, and says why.
   */
  private maxRuntimeExceeded(
    job: JobRequest,
    record: JobRecord,
    seconds: number,
    log: JobLog,
  ): Omit<JobOutcome, 'arn' | 'description'> {
    const reason = `MaxRuntimeExceeded: ${job.kind} job ${job.name} ran longer than StoppingCondition.MaxRuntimeInSeconds (${seconds} s) and was stopped`;
    log.note(reason);
    endJob(job.kind, record, 'Stopped', 'MaxRuntimeExceeded');
    return { status: 'Stopped', failureReason: reason };
  }

  private imageOf(job: JobRequest): string {
    const request = job.request as {
      AppSpecification?: { ImageUri?: string };
      AlgorithmSpecification?: { TrainingImage?: string; AlgorithmName?: string };
    };
    if (job.kind === 'Processing') return request.AppSpecification?.ImageUri ?? '';
    const spec = request.AlgorithmSpecification;
    if (!spec?.TrainingImage) {
      throw new JobFailure(
        'ClientError',
        `AlgorithmSpecification.TrainingImage is required locally (AlgorithmName ${spec?.AlgorithmName ?? ''} is not supported)`,
      );
    }
    return spec.TrainingImage;
  }

  private modelOf(job: JobRequest): ModelContainer {
    const name = job.request.ModelName;
    const container = typeof name === 'string' ? this.options.modelContainer(name) : undefined;
    if (!container?.Image)
      throw new JobFailure('ClientError', `Could not find model "${String(name)}" for the transform job`);
    return container;
  }

  /** At start: jobs left InProgress by a process that died are Failed. */
  failInterrupted(reason: string): void {
    for (const kind of Object.keys(JOB_SHAPES) as JobKind[]) {
      const shape = JOB_SHAPES[kind];
      for (const record of this.options.store.list<JobRecord>(shape.collection)) {
        if (record[shape.statusMember] !== 'InProgress' && record[shape.statusMember] !== 'Stopping')
          continue;
        Object.assign(record, {
          [shape.statusMember]: 'Failed',
          FailureReason: `InternalServerError: ${reason}`,
          LastModifiedTime: epochSeconds(),
        });
        if (kind === 'Training') secondaryStatus(record, 'Failed');
        this.save(kind, record);
      }
    }
  }

  exists(kind: JobKind, name: string): boolean {
    return this.options.store.get(JOB_SHAPES[kind].collection, name.toLowerCase()) !== undefined;
  }

  describe(kind: JobKind, name: string): JobRecord {
    const record = this.options.store.get<JobRecord>(JOB_SHAPES[kind].collection, name.toLowerCase());
    // DescribeTrainingJob answers a missing job with a ValidationException, the other two ResourceNotFound.
    if (!record && kind === 'Training') throw validationError('Requested resource not found.');
    if (!record) throw notFound('ResourceNotFound', `Could not find requested job with name ${name}`);
    return record;
  }

  list(
    kind: JobKind,
    input: ListRequest & { NameContains?: string; StatusEquals?: string },
  ): Page<JobRecord> {
    const shape = JOB_SHAPES[kind];
    const records = this.options.store
      .list<JobRecord>(shape.collection)
      .filter(
        (record) =>
          !input.NameContains ||
          String(record[shape.nameMember]).toLowerCase().includes(input.NameContains.toLowerCase()),
      )
      .filter((record) => !input.StatusEquals || record[shape.statusMember] === input.StatusEquals);
    return listPage(records, input, {
      sortKeys: { CreationTime: 'CreationTime', Name: shape.nameMember, Status: shape.statusMember },
      defaultSortBy: 'CreationTime',
      defaultOrder: 'Descending',
    });
  }

  private save(kind: JobKind, record: JobRecord): void {
    const shape = JOB_SHAPES[kind];
    this.options.store.put(shape.collection, String(record[shape.nameMember]).toLowerCase(), record);
  }
}

/** Sets the job's final status; a training job's SecondaryStatus follows it unless a finer one is given. */
function endJob(
  kind: JobKind,
  record: JobRecord,
  status: JobOutcome['status'],
  finer: string = status,
): void {
  record[JOB_SHAPES[kind].statusMember] = status;
  if (kind === 'Training') secondaryStatus(record, finer);
}

/** SageMaker's StatusMessage for each SecondaryStatus a local training job goes through. */
const SECONDARY_MESSAGES: Readonly<Record<string, string>> = {
  Starting: 'Preparing the instances for training',
  Training: 'Training image download completed. Training in progress.',
  Completed: 'Training job completed',
  Failed: 'Training job failed',
  Stopped: 'Training job stopped',
  MaxRuntimeExceeded: 'Training job stopped: it ran past its MaxRuntimeInSeconds',
};

/**
 * Moves a training job to a SecondaryStatus and records the move in SecondaryStatusTransitions (the
 * previous transition ends when this one starts), as DescribeTrainingJob reports them.
 */
function secondaryStatus(record: JobRecord, status: string): void {
  const now = epochSeconds();
  const transitions = (record.SecondaryStatusTransitions ?? []) as Record<string, unknown>[];
  const last = transitions[transitions.length - 1];
  if (last?.Status === status) return;
  if (last && last.EndTime === undefined) last.EndTime = now;
  const ended = status !== 'Starting' && status !== 'Training';
  transitions.push({
    Status: status,
    StartTime: now,
    ...(ended ? { EndTime: now } : {}),
    StatusMessage: SECONDARY_MESSAGES[status] ?? status,
  });
  record.SecondaryStatus = status;
  record.SecondaryStatusTransitions = transitions;
}

/** After a successful job only its log is kept; staged inputs and outputs already live in S3. */
function removeAllBut(folder: string, keep: string): void {
  for (const entry of fs.readdirSync(folder)) {
    if (entry !== keep) fs.rmSync(path.join(folder, entry), { recursive: true, force: true });
  }
}

function asJobFailure(error: unknown): JobFailure {
  if (error instanceof JobFailure) return error;
  if (error instanceof AwsError) return new JobFailure('ClientError', `${error.code}: ${error.message}`);
  return new JobFailure('InternalServerError', error instanceof Error ? error.message : String(error));
}

/** A request's Environment map as strings (what the job's process sees). */
function stringValues(environment: unknown): Record<string, string> {
  if (!environment || typeof environment !== 'object') return {};
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, String(value)]));
}
