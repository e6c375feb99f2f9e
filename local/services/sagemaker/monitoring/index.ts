import type { CreateProcessingJobRequest } from '@aws-sdk/client-sagemaker';

import { AwsError } from '../../../core/errors';
import type { LocalAwsEnvironment } from '../../../core/service';
import type { Validated } from '../../../core/validated';
import { resourceArn, type ArnContext } from '../arns';
import { checkName } from '../input';
import type { EndpointService } from '../endpoints';
import type { JobService } from '../jobs';
import type { TagStore } from '../tags';
import { BackgroundJobs } from './background-jobs';
import { JobDefinitionService, type JobDefinitionRecord } from './job-definitions';
import { MonitoringScheduleService } from './schedules';

/**
 * Model Monitor on the local SageMaker: data-quality job definitions, monitoring schedules (cron or NOW)
 * and their executions, and the processing jobs that run outside pipelines. `start`/`stop` belong in the
 * provider's.
 */
export interface Monitoring {
  readonly definitions: JobDefinitionService;
  readonly schedules: MonitoringScheduleService;
  /** DeleteDataQualityJobDefinition: a definition a schedule runs cannot go (ResourceInUse). */
  deleteDefinition(name: string): JobDefinitionRecord;
  /** CreateProcessingJob outside a pipeline: the job runs in the background; answers its ARN. */
  createProcessingJob(input: Validated<CreateProcessingJobRequest>): string;
  start(): void;
  stop(): Promise<void>;
}

export interface MonitoringParts {
  readonly arns: ArnContext;
  readonly jobs: JobService;
  readonly tags: TagStore;
  readonly endpoints: EndpointService;
}

export function createMonitoring(env: LocalAwsEnvironment, parts: MonitoringParts): Monitoring {
  const background = new BackgroundJobs(parts.jobs);
  const definitions = new JobDefinitionService(env.store, parts.arns);
  const schedules = new MonitoringScheduleService({
    store: env.store,
    arns: parts.arns,
    tags: parts.tags,
    endpoints: parts.endpoints,
    definitions,
    jobs: background,
  });
  return {
    definitions,
    schedules,
    deleteDefinition: (name) => definitions.delete(name, (definition) => schedules.scheduleUsing(definition)),
    createProcessingJob: (input) => createProcessingJob(parts, background, input),
    start: () => schedules.restore(),
    stop: async () => {
      schedules.shutdown();
      await background.stopAll();
    },
  };
}

/** The job runs in the background on the runtime its image maps to. */
function createProcessingJob(
  parts: MonitoringParts,
  background: BackgroundJobs,
  input: Validated<CreateProcessingJobRequest>,
): string {
  const name = checkName('ProcessingJobName', input.ProcessingJobName);
  const arn = resourceArn(parts.arns, 'processing-job', name);
  if (parts.jobs.exists('Processing', name)) {
    throw new AwsError(
      'ResourceInUse',
      `Job name must be unique within an AWS account and region, and a job with this name already exists (${arn})`,
    );
  }
  const { Tags: _tags, ...request } = input;
  void _tags;
  void background.start({ kind: 'Processing', name, request });
  return arn;
}
