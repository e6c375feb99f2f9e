import type {
  CreateDataQualityJobDefinitionRequest,
  CreateMonitoringScheduleRequest,
  MonitoringScheduleConfig,
} from '@aws-sdk/client-sagemaker';

import { dateOf } from '../../../core/dates';
import { AwsError } from '../../../core/errors';
import type { Validated } from '../../../core/validated';
import { coerceMembers } from './coerce';
import { generatedName } from './names';
import { asRequest, type ResourceHandler, type ResourceRequest, type ResourceServices } from './types';

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

/** Deleting something already gone is a success, as CloudFormation treats it. */
function deleteIgnoringMissing(action: () => unknown): void {
  try {
    action();
  } catch (error) {
    if (!(error instanceof AwsError && error.code === 'ResourceNotFound')) throw error;
  }
}

/** AWS::SageMaker::DataQualityJobDefinition: immutable, so every change replaces it. Ref is its ARN. */
export function dataQualityJobDefinitionHandler({ sagemaker }: ResourceServices): ResourceHandler {
  return {
    attributes: ['JobDefinitionArn', 'CreationTime'],
    replaceOn: 'all',
    async create(request) {
      const JobDefinitionName = nameOf(request, 'JobDefinitionName');
      // EndpointName is CloudFormation's own member; the API takes the endpoint from DataQualityJobInput.
      const definition = sagemaker.monitoring.definitions.create(
        asRequest<CreateDataQualityJobDefinitionRequest>({
          ...input(request, ['EndpointName']),
          JobDefinitionName,
        }),
      );
      return {
        physicalId: definition.JobDefinitionArn,
        attributes: {
          JobDefinitionArn: definition.JobDefinitionArn,
          JobDefinitionName,
          CreationTime: dateOf(definition.CreationTime).toISOString(),
        },
      };
    },
    update: () => Promise.reject(new Error('DataQualityJobDefinition is replaced on every change')),
    async delete(request) {
      deleteIgnoringMissing(() =>
        sagemaker.monitoring.deleteDefinition(String(request.attributes.JobDefinitionName)),
      );
    },
  };
}

/** AWS::SageMaker::MonitoringSchedule: its config updates in place; a new name replaces it. Ref is its ARN. */
export function monitoringScheduleHandler({ sagemaker }: ResourceServices): ResourceHandler {
  const schedules = () => sagemaker.monitoring.schedules;
  const attributes = (name: string) => {
    const schedule = schedules().describe(name);
    return {
      MonitoringScheduleArn: schedule.MonitoringScheduleArn,
      MonitoringScheduleName: name,
      CreationTime: dateOf(schedule.CreationTime).toISOString(),
      LastModifiedTime: dateOf(schedule.LastModifiedTime).toISOString(),
    };
  };
  return {
    attributes: ['MonitoringScheduleArn', 'CreationTime', 'LastModifiedTime'],
    replaceOn: ['MonitoringScheduleName'],
    async create(request) {
      const MonitoringScheduleName = nameOf(request, 'MonitoringScheduleName');
      const schedule = schedules().create(
        asRequest<CreateMonitoringScheduleRequest>({
          ...input(request, [
            'EndpointName',
            'MonitoringScheduleStatus',
            'FailureReason',
            'LastMonitoringExecutionSummary',
          ]),
          MonitoringScheduleName,
        }),
      );
      return { physicalId: schedule.MonitoringScheduleArn, attributes: attributes(MonitoringScheduleName) };
    },
    async update(request) {
      const MonitoringScheduleName = String(request.attributes.MonitoringScheduleName);
      schedules().update({
        MonitoringScheduleName,
        MonitoringScheduleConfig: input(request, [])[
          'MonitoringScheduleConfig'
        ] as Validated<MonitoringScheduleConfig>,
      });
      return { physicalId: request.physicalId, attributes: attributes(MonitoringScheduleName) };
    },
    async delete(request) {
      deleteIgnoringMissing(() => schedules().delete(String(request.attributes.MonitoringScheduleName)));
    },
  };
}
