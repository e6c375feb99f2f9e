import type {
  CreateDataQualityJobDefinitionRequest,
  CreateMonitoringScheduleRequest,
  CreateProcessingJobRequest,
  DeleteDataQualityJobDefinitionRequest,
  DeleteMonitoringScheduleRequest,
  DescribeDataQualityJobDefinitionRequest,
  DescribeMonitoringScheduleRequest,
  ListDataQualityJobDefinitionsRequest,
  ListMonitoringExecutionsRequest,
  ListMonitoringSchedulesRequest,
  StartMonitoringScheduleRequest,
  StopMonitoringScheduleRequest,
  UpdateMonitoringScheduleRequest,
} from '@aws-sdk/client-sagemaker';

import { AwsError } from '../../../core/errors';
import type { ServiceDeps } from '../../../core/deps';
import type { LocalAwsEnvironment, OperationHandler, ServiceProvider } from '../../../core/service';
import { resourceArn } from '../arns';
import { checkName } from '../endpoint-configs';
import type { SageMakerServices } from '../index';
import { BackgroundJobs } from '../monitoring/background-jobs';
import { JobDefinitionService } from '../monitoring/job-definitions';
import { MonitoringScheduleService } from '../monitoring/schedules';

/** A handler typed with the SDK's request type; the protocol layer hands it the decoded input. */
type Typed<Input> = (input: Input) => unknown;
const typed = <Input>(handler: Typed<Input>): OperationHandler => handler as unknown as OperationHandler;

/**
 * Model Monitor on the local SageMaker: processing jobs created directly, data-quality job definitions,
 * monitoring schedules (cron or NOW) and their executions. `start`/`stop` belong in the provider's.
 */
export type Monitoring = { operations: Record<string, OperationHandler> } & Required<
  Pick<ServiceProvider, 'start' | 'stop'>
>;

export function monitoringOperations(
  env: LocalAwsEnvironment,
  deps: ServiceDeps,
  services: Pick<SageMakerServices, 'arns' | 'jobs'>,
): Monitoring {
  const jobs = new BackgroundJobs(services.jobs);
  const definitions = new JobDefinitionService(env.store, services.arns);
  const schedules = new MonitoringScheduleService({
    store: env.store,
    arns: services.arns,
    deps,
    definitions,
    jobs,
  });
  return {
    operations: {
      CreateProcessingJob: typed<CreateProcessingJobRequest>((input) =>
        createProcessingJob(services, jobs, input),
      ),
      CreateDataQualityJobDefinition: typed<CreateDataQualityJobDefinitionRequest>((input) =>
        definitions.create(input),
      ),
      DescribeDataQualityJobDefinition: typed<DescribeDataQualityJobDefinitionRequest>((input) =>
        definitions.describe(input.JobDefinitionName),
      ),
      ListDataQualityJobDefinitions: typed<ListDataQualityJobDefinitionsRequest>((input) =>
        definitions.list(input),
      ),
      DeleteDataQualityJobDefinition: typed<DeleteDataQualityJobDefinitionRequest>((input) =>
        definitions.delete(input.JobDefinitionName, (name) => schedules.scheduleUsing(name)),
      ),
      CreateMonitoringSchedule: typed<CreateMonitoringScheduleRequest>((input) => schedules.create(input)),
      UpdateMonitoringSchedule: typed<UpdateMonitoringScheduleRequest>((input) => schedules.update(input)),
      DescribeMonitoringSchedule: typed<DescribeMonitoringScheduleRequest>((input) =>
        schedules.describe(input.MonitoringScheduleName),
      ),
      ListMonitoringSchedules: typed<ListMonitoringSchedulesRequest>((input) => schedules.list(input)),
      StartMonitoringSchedule: typed<StartMonitoringScheduleRequest>((input) =>
        schedules.start(input.MonitoringScheduleName),
      ),
      StopMonitoringSchedule: typed<StopMonitoringScheduleRequest>((input) =>
        schedules.stop(input.MonitoringScheduleName),
      ),
      DeleteMonitoringSchedule: typed<DeleteMonitoringScheduleRequest>((input) =>
        schedules.delete(input.MonitoringScheduleName),
      ),
      ListMonitoringExecutions: typed<ListMonitoringExecutionsRequest>((input) =>
        schedules.listExecutions(input),
      ),
    },
    start: () => schedules.restore(),
    stop: async () => {
      schedules.shutdown();
      await jobs.stopAll();
    },
  };
}

/** CreateProcessingJob outside a pipeline: the job runs in the background on the runtime its image maps to. */
function createProcessingJob(
  services: Pick<SageMakerServices, 'arns' | 'jobs'>,
  jobs: BackgroundJobs,
  input: CreateProcessingJobRequest,
) {
  const name = checkName('ProcessingJobName', input.ProcessingJobName);
  const arn = resourceArn(services.arns, 'processing-job', name);
  if (services.jobs.exists('Processing', name)) {
    throw new AwsError(
      'ResourceInUse',
      `Job name must be unique within an AWS account and region, and a job with this name already exists (${arn})`,
    );
  }
  const { Tags: _tags, ...request } = input;
  void _tags;
  void jobs.start({ kind: 'Processing', name, request: request as Record<string, unknown> });
  return { ProcessingJobArn: arn };
}
