import type {
  CreateDataQualityJobDefinitionRequest,
  CreateDataQualityJobDefinitionResponse,
  CreateMonitoringScheduleRequest,
  CreateMonitoringScheduleResponse,
  CreateProcessingJobRequest,
  CreateProcessingJobResponse,
  DeleteDataQualityJobDefinitionRequest,
  DeleteMonitoringScheduleRequest,
  DescribeDataQualityJobDefinitionRequest,
  DescribeDataQualityJobDefinitionResponse,
  DescribeMonitoringScheduleRequest,
  DescribeMonitoringScheduleResponse,
  ListDataQualityJobDefinitionsRequest,
  ListDataQualityJobDefinitionsResponse,
  ListMonitoringExecutionsRequest,
  ListMonitoringExecutionsResponse,
  ListMonitoringSchedulesRequest,
  ListMonitoringSchedulesResponse,
  MonitoringExecutionSummary,
  MonitoringScheduleSummary,
  StartMonitoringScheduleRequest,
  StopMonitoringScheduleRequest,
  UpdateMonitoringScheduleRequest,
  UpdateMonitoringScheduleResponse,
} from '@aws-sdk/client-sagemaker';

import { dateOf } from '../../../core/dates';
import { operation } from '../../../core/operations';
import { optional } from '../../../core/optional';
import type { OperationHandler } from '../../../core/service';
import type { Validated } from '../../../core/validated';
import type { SageMakerServices } from '../index';
import { endpointOf } from '../monitoring/job-definitions';
import type { ExecutionRecord, ScheduleRecord } from '../monitoring/schedules';
import { pageMembers } from '../pagination';

/** Model Monitor: processing jobs created directly, data-quality job definitions, schedules and executions. */
export function monitoringOperations({
  monitoring,
}: Pick<SageMakerServices, 'monitoring'>): Record<string, OperationHandler> {
  const { definitions, schedules } = monitoring;
  return {
    CreateProcessingJob: operation<Validated<CreateProcessingJobRequest>, CreateProcessingJobResponse>(
      (input) => ({ ProcessingJobArn: monitoring.createProcessingJob(input) }),
    ),
    CreateDataQualityJobDefinition: operation<
      Validated<CreateDataQualityJobDefinitionRequest>,
      CreateDataQualityJobDefinitionResponse
    >((input) => ({ JobDefinitionArn: definitions.create(input).JobDefinitionArn })),
    DescribeDataQualityJobDefinition: operation<
      Validated<DescribeDataQualityJobDefinitionRequest>,
      DescribeDataQualityJobDefinitionResponse
    >((input) => {
      const record = definitions.describe(input.JobDefinitionName);
      return { ...record, CreationTime: dateOf(record.CreationTime) };
    }),
    ListDataQualityJobDefinitions: operation<
      Validated<ListDataQualityJobDefinitionsRequest>,
      ListDataQualityJobDefinitionsResponse
    >((input) => {
      const page = definitions.list(input);
      const summaries = page.items.map((record) => ({
        MonitoringJobDefinitionName: record.JobDefinitionName,
        MonitoringJobDefinitionArn: record.JobDefinitionArn,
        CreationTime: dateOf(record.CreationTime),
        EndpointName: endpointOf(record),
      }));
      return pageMembers('JobDefinitionSummaries', { ...page, items: summaries });
    }),
    DeleteDataQualityJobDefinition: operation<
      Validated<DeleteDataQualityJobDefinitionRequest>,
      Record<string, never>
    >((input) => {
      monitoring.deleteDefinition(input.JobDefinitionName);
      return {};
    }),
    CreateMonitoringSchedule: operation<
      Validated<CreateMonitoringScheduleRequest>,
      CreateMonitoringScheduleResponse
    >((input) => ({ MonitoringScheduleArn: schedules.create(input).MonitoringScheduleArn })),
    UpdateMonitoringSchedule: operation<
      Validated<UpdateMonitoringScheduleRequest>,
      UpdateMonitoringScheduleResponse
    >((input) => ({ MonitoringScheduleArn: schedules.update(input).MonitoringScheduleArn })),
    DescribeMonitoringSchedule: operation<
      Validated<DescribeMonitoringScheduleRequest>,
      DescribeMonitoringScheduleResponse
    >((input) => describeSchedule(schedules.describe(input.MonitoringScheduleName))),
    ListMonitoringSchedules: operation<
      Validated<ListMonitoringSchedulesRequest>,
      ListMonitoringSchedulesResponse
    >((input) => {
      const page = schedules.list(input);
      return pageMembers('MonitoringScheduleSummaries', { ...page, items: page.items.map(scheduleSummary) });
    }),
    StartMonitoringSchedule: operation<Validated<StartMonitoringScheduleRequest>, Record<string, never>>(
      (input) => {
        schedules.start(input.MonitoringScheduleName);
        return {};
      },
    ),
    StopMonitoringSchedule: operation<Validated<StopMonitoringScheduleRequest>, Record<string, never>>(
      (input) => {
        schedules.stop(input.MonitoringScheduleName);
        return {};
      },
    ),
    DeleteMonitoringSchedule: operation<Validated<DeleteMonitoringScheduleRequest>, Record<string, never>>(
      (input) => {
        schedules.delete(input.MonitoringScheduleName);
        return {};
      },
    ),
    ListMonitoringExecutions: operation<
      Validated<ListMonitoringExecutionsRequest>,
      ListMonitoringExecutionsResponse
    >((input) => {
      const page = schedules.listExecutions(input);
      return pageMembers('MonitoringExecutionSummaries', {
        ...page,
        items: page.items.map(executionSummary),
      });
    }),
  };
}

/** DescribeMonitoringSchedule's answer, also what CloudFormation's GetAtt reads. */
export function describeSchedule(record: ScheduleRecord): DescribeMonitoringScheduleResponse {
  const { LastMonitoringExecutionSummary: last, ...schedule } = record;
  return {
    ...schedule,
    CreationTime: dateOf(record.CreationTime),
    LastModifiedTime: dateOf(record.LastModifiedTime),
    ...(last ? { LastMonitoringExecutionSummary: executionSummary(last) } : {}),
  };
}

function scheduleSummary(record: ScheduleRecord): MonitoringScheduleSummary {
  return {
    MonitoringScheduleName: record.MonitoringScheduleName,
    MonitoringScheduleArn: record.MonitoringScheduleArn,
    CreationTime: dateOf(record.CreationTime),
    LastModifiedTime: dateOf(record.LastModifiedTime),
    MonitoringScheduleStatus: record.MonitoringScheduleStatus,
    EndpointName: record.EndpointName,
    MonitoringType: record.MonitoringType,
    ...optional('MonitoringJobDefinitionName', record.MonitoringScheduleConfig.MonitoringJobDefinitionName),
  };
}

function executionSummary(record: Omit<ExecutionRecord, 'id'> & { id?: string }): MonitoringExecutionSummary {
  const { id: _id, ...summary } = record;
  return {
    ...summary,
    ScheduledTime: dateOf(record.ScheduledTime),
    CreationTime: dateOf(record.CreationTime),
    LastModifiedTime: dateOf(record.LastModifiedTime),
  };
}
