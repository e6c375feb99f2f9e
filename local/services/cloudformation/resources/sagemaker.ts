import { setTimeout as sleep } from 'node:timers/promises';

import type {
  CreateEndpointConfigInput,
  CreateEndpointInput,
  CreateModelInput,
  CreateModelPackageGroupInput,
  UpdateEndpointInput,
} from '@aws-sdk/client-sagemaker';

import { dateOf } from '../../../core/dates';
import { AwsError } from '../../../core/errors';
import type { EndpointRecord } from '../../sagemaker/endpoints';
import { coerceMembers } from './coerce';
import { generatedName } from './names';
import {
  asRequest,
  type DeleteRequest,
  type ResourceHandler,
  type ResourceRequest,
  type ResourceServices,
  type UpdateRequest,
} from './types';

/** SageMaker names: letters, digits and hyphens, at most 63 characters. */
const sagemakerName = (request: ResourceRequest) =>
  generatedName({ parts: [request.logicalId], maxLength: 63 });

const ENDPOINT_POLL_MS = 50;

const ENDPOINT_CONFIG_FIELDS = {
  numbers: new Set([
    'InitialInstanceCount',
    'InitialVariantWeight',
    'VolumeSizeInGB',
    'ModelDataDownloadTimeoutInSeconds',
    'ContainerStartupHealthCheckTimeoutInSeconds',
    'MemorySizeInMB',
    'MaxConcurrency',
    'ProvisionedConcurrency',
    'InitialSamplingPercentage',
  ]),
  booleans: new Set(['EnableCapture', 'EnableSSMAccess']),
};

const ENDPOINT_FIELDS = {
  numbers: new Set([
    'WaitIntervalInSeconds',
    'Value',
    'MaximumExecutionTimeoutInSeconds',
    'TerminationWaitInSeconds',
  ]),
  booleans: new Set(['RetainAllVariantProperties', 'RetainDeploymentConfig']),
};

/** Deleting something already gone is a success, as CloudFormation treats it. */
export async function ignoreMissing(action: () => unknown): Promise<void> {
  try {
    await action();
  } catch (error) {
    const gone =
      error instanceof AwsError &&
      (error.code === 'ResourceNotFound' ||
        (error.code === 'ValidationException' && /could not find/i.test(error.message)));
    if (!gone) throw error;
  }
}

/** Properties whose change only touches tags: nothing to do locally but remember them. */
const keepPhysical = async (request: UpdateRequest) => ({
  physicalId: request.physicalId,
  attributes: request.attributes,
});

export function modelHandler({ sagemaker }: ResourceServices): ResourceHandler {
  return {
    attributes: ['ModelName'],
    replaceOn: [
      'ModelName',
      'ExecutionRoleArn',
      'PrimaryContainer',
      'Containers',
      'VpcConfig',
      'EnableNetworkIsolation',
      'InferenceExecutionConfig',
    ],
    async create(request) {
      const ModelName = (request.properties.ModelName as string | undefined) ?? sagemakerName(request);
      const { ModelArn } = sagemaker.models.create(
        asRequest<CreateModelInput>({ ...request.properties, ModelName }),
      );
      return { physicalId: ModelArn, attributes: { ModelName } };
    },
    update: keepPhysical,
    async delete(request: DeleteRequest) {
      await ignoreMissing(() => sagemaker.models.delete(String(request.attributes.ModelName)));
    },
  };
}

export function endpointConfigHandler({ sagemaker }: ResourceServices): ResourceHandler {
  return {
    attributes: ['EndpointConfigName'],
    // Endpoint configs are immutable: any change but tags creates a new one.
    replaceOn: [
      'EndpointConfigName',
      'ProductionVariants',
      'ShadowProductionVariants',
      'DataCaptureConfig',
      'KmsKeyId',
      'AsyncInferenceConfig',
      'ExplainerConfig',
      'ExecutionRoleArn',
      'VpcConfig',
      'EnableNetworkIsolation',
    ],
    async create(request) {
      const EndpointConfigName =
        (request.properties.EndpointConfigName as string | undefined) ?? sagemakerName(request);
      const input = coerceMembers({ ...request.properties, EndpointConfigName }, ENDPOINT_CONFIG_FIELDS);
      const { EndpointConfigArn } = sagemaker.endpoints.configs.create(
        asRequest<CreateEndpointConfigInput>(input as Record<string, unknown>),
      );
      return { physicalId: EndpointConfigArn, attributes: { EndpointConfigName } };
    },
    update: keepPhysical,
    async delete(request) {
      await ignoreMissing(() =>
        sagemaker.endpoints.configs.delete(String(request.attributes.EndpointConfigName)),
      );
    },
  };
}

const SETTLING = new Set<string>(['Creating', 'Updating', 'RollingBack', 'SystemUpdating']);

/** Waits until an endpoint leaves the transitional statuses (CloudFormation waits the same way). */
async function settledEndpoint(
  endpoints: ResourceServices['sagemaker']['endpoints'],
  name: string,
  signal: AbortSignal,
): Promise<EndpointRecord> {
  for (;;) {
    const endpoint = endpoints.get(name);
    if (!SETTLING.has(endpoint.EndpointStatus)) return endpoint;
    await sleep(ENDPOINT_POLL_MS, undefined, { signal });
  }
}

/** The CloudFormation-only switches of AWS::SageMaker::Endpoint are not CreateEndpoint members. */
function endpointInput(
  properties: Readonly<Record<string, unknown>>,
  EndpointName: string,
): Readonly<Record<string, unknown>> {
  const { RetainAllVariantProperties, RetainDeploymentConfig, ExcludeRetainedVariantProperties, ...rest } =
    properties;
  void RetainDeploymentConfig;
  void ExcludeRetainedVariantProperties;
  void RetainAllVariantProperties;
  return coerceMembers({ ...rest, EndpointName }, ENDPOINT_FIELDS) as Record<string, unknown>;
}

export function endpointHandler({ sagemaker }: ResourceServices): ResourceHandler {
  return {
    attributes: ['EndpointName'],
    replaceOn: ['EndpointName'],
    async create(request) {
      const EndpointName = (request.properties.EndpointName as string | undefined) ?? sagemakerName(request);
      const { EndpointArn } = sagemaker.endpoints.create(
        asRequest<CreateEndpointInput>(endpointInput(request.properties, EndpointName)),
      );
      request.created?.({ physicalId: EndpointArn, attributes: { EndpointName } });
      const endpoint = await settledEndpoint(sagemaker.endpoints, EndpointName, request.signal);
      if (endpoint.EndpointStatus !== 'InService') {
        throw new Error(
          `Endpoint ${EndpointName} is ${endpoint.EndpointStatus}: ${endpoint.FailureReason ?? 'no reason given'}`,
        );
      }
      return { physicalId: EndpointArn, attributes: { EndpointName } };
    },
    async update(request) {
      const EndpointName = request.attributes.EndpointName as string;
      const desired = request.properties.EndpointConfigName as string;
      const current = await settledEndpoint(sagemaker.endpoints, EndpointName, request.signal);
      // A rollback finds the endpoint already back on its old config (SageMaker rolled it back itself).
      if (
        current.EndpointStatus === 'InService' &&
        current.EndpointConfigName === desired &&
        request.previous.EndpointConfigName !== desired
      ) {
        return { physicalId: request.physicalId, attributes: request.attributes };
      }
      const { EndpointName: _name, Tags, ...update } = endpointInput(request.properties, EndpointName);
      void _name;
      void Tags;
      sagemaker.endpoints.update(asRequest<UpdateEndpointInput>({ ...update, EndpointName }));
      const endpoint = await settledEndpoint(sagemaker.endpoints, EndpointName, request.signal);
      if (endpoint.EndpointStatus !== 'InService' || endpoint.EndpointConfigName !== desired) {
        throw new Error(
          `Endpoint ${EndpointName} could not be updated to ${desired} (now ${endpoint.EndpointStatus} on ${endpoint.EndpointConfigName}): ${endpoint.FailureReason ?? 'no reason given'}`,
        );
      }
      return { physicalId: request.physicalId, attributes: request.attributes };
    },
    async delete(request) {
      const EndpointName = request.attributes.EndpointName as string;
      // One still coming up (e.g. restored after a restart) finishes first, as CloudFormation waits too.
      await ignoreMissing(() => settledEndpoint(sagemaker.endpoints, EndpointName, request.signal));
      await ignoreMissing(() => sagemaker.endpoints.delete(EndpointName));
    },
  };
}

export function modelPackageGroupHandler({ sagemaker }: ResourceServices): ResourceHandler {
  return {
    attributes: ['ModelPackageGroupArn', 'CreationTime', 'ModelPackageGroupStatus'],
    replaceOn: ['ModelPackageGroupName', 'ModelPackageGroupDescription'],
    async create(request) {
      const ModelPackageGroupName =
        (request.properties.ModelPackageGroupName as string | undefined) ?? sagemakerName(request);
      const { ModelPackageGroupPolicy, ...input } = request.properties;
      void ModelPackageGroupPolicy;
      const group = sagemaker.modelPackages.createGroup(
        asRequest<CreateModelPackageGroupInput>({ ...input, ModelPackageGroupName }),
      );
      return {
        physicalId: group.ModelPackageGroupArn,
        attributes: {
          ModelPackageGroupArn: group.ModelPackageGroupArn,
          ModelPackageGroupName,
          CreationTime: dateOf(group.CreationTime).toISOString(),
          ModelPackageGroupStatus: group.ModelPackageGroupStatus,
        },
      };
    },
    update: keepPhysical,
    async delete(request) {
      await ignoreMissing(() =>
        sagemaker.modelPackages.deleteGroup(String(request.attributes.ModelPackageGroupName)),
      );
    },
  };
}
