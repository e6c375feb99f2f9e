import type { ServiceDeps } from '../../../core/deps';
import { AwsError } from '../../../core/errors';
import { coerceMembers } from './coerce';
import { generatedName } from './names';
import type { ResourceHandler, ResourceRequest } from './types';

/** Members CloudFormation may hand over as strings that the SageMaker API takes as numbers. */
const MONITORING_FIELDS = {
  numbers: new Set(['InstanceCount', 'VolumeSizeInGB', 'MaxRuntimeInSeconds']),
  booleans: new Set(['EnableInterContainerTrafficEncryption', 'EnableNetworkIsolation']),
};

const nameOf = (request: ResourceRequest, member: string) =>
  (request.properties[member] as string | undefined) ??
  generatedName({ parts: [request.logicalId], maxLength: 63 });

const input = (request: ResourceRequest, drop: readonly string[]) =>
  coerceMembers(
    Object.fromEntries(Object.entries(request.properties).filter(([key]) => !drop.includes(key))),
    MONITORING_FIELDS,
  ) as Record<string, unknown>;

async function deleteIgnoringMissing(deps: ServiceDeps, operation: string, request: Record<string, unknown>) {
  try {
    await deps.call('sagemaker', operation, request);
  } catch (error) {
    if (!(error instanceof AwsError && error.code === 'ResourceNotFound')) throw error;
  }
}

/** AWS::SageMaker::DataQualityJobDefinition: immutable, so every change replaces it. Ref is its ARN. */
export function dataQualityJobDefinitionHandler(deps: ServiceDeps): ResourceHandler {
  return {
    attributes: ['JobDefinitionArn', 'CreationTime'],
    replaceOn: 'all',
    async create(request) {
      const JobDefinitionName = nameOf(request, 'JobDefinitionName');
      // EndpointName is CloudFormation's own member; the API takes the endpoint from DataQualityJobInput.
      const { JobDefinitionArn } = (await deps.call('sagemaker', 'CreateDataQualityJobDefinition', {
        ...input(request, ['EndpointName']),
        JobDefinitionName,
      })) as { JobDefinitionArn: string };
      return {
        physicalId: JobDefinitionArn,
        attributes: { JobDefinitionArn, JobDefinitionName, CreationTime: new Date().toISOString() },
      };
    },
    update: () => Promise.reject(new Error('DataQualityJobDefinition is replaced on every change')),
    async delete(request) {
      await deleteIgnoringMissing(deps, 'DeleteDataQualityJobDefinition', {
        JobDefinitionName: request.attributes.JobDefinitionName,
      });
    },
  };
}

/** AWS::SageMaker::MonitoringSchedule: its config updates in place; a new name replaces it. Ref is its ARN. */
export function monitoringScheduleHandler(deps: ServiceDeps): ResourceHandler {
  const attributes = async (name: string) => {
    const described = (await deps.call('sagemaker', 'DescribeMonitoringSchedule', {
      MonitoringScheduleName: name,
    })) as { MonitoringScheduleArn: string; CreationTime: number; LastModifiedTime: number };
    const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
    return {
      MonitoringScheduleArn: described.MonitoringScheduleArn,
      MonitoringScheduleName: name,
      CreationTime: iso(described.CreationTime),
      LastModifiedTime: iso(described.LastModifiedTime),
    };
  };
  return {
    attributes: ['MonitoringScheduleArn', 'CreationTime', 'LastModifiedTime'],
    replaceOn: ['MonitoringScheduleName'],
    async create(request) {
      const MonitoringScheduleName = nameOf(request, 'MonitoringScheduleName');
      const { MonitoringScheduleArn } = (await deps.call('sagemaker', 'CreateMonitoringSchedule', {
        ...input(request, [
          'EndpointName',
          'MonitoringScheduleStatus',
          'FailureReason',
          'LastMonitoringExecutionSummary',
        ]),
        MonitoringScheduleName,
      })) as { MonitoringScheduleArn: string };
      return { physicalId: MonitoringScheduleArn, attributes: await attributes(MonitoringScheduleName) };
    },
    async update(request) {
      const MonitoringScheduleName = String(request.attributes.MonitoringScheduleName);
      await deps.call('sagemaker', 'UpdateMonitoringSchedule', {
        MonitoringScheduleName,
        MonitoringScheduleConfig: input(request, [])['MonitoringScheduleConfig'],
      });
      return { physicalId: request.physicalId, attributes: await attributes(MonitoringScheduleName) };
    },
    async delete(request) {
      await deleteIgnoringMissing(deps, 'DeleteMonitoringSchedule', {
        MonitoringScheduleName: request.attributes.MonitoringScheduleName,
      });
    },
  };
}
