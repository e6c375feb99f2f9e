import { setTimeout as sleep } from 'node:timers/promises';

import type { ServiceDeps } from '../../../core/deps';
import { AwsError } from '../../../core/errors';
import { coerceMembers } from './coerce';
import { generatedName } from './names';
import type { DeleteRequest, ResourceHandler, ResourceRequest, UpdateRequest } from './types';

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

const call = async <T>(deps: ServiceDeps, operation: string, input: Record<string, unknown>) =>
  (await deps.call('sagemaker', operation, input)) as T;

/** Deleting something already gone is a success, as CloudFormation treats it. */
async function ignoreMissing(action: Promise<unknown>): Promise<void> {
  try {
    await action;
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

export function modelHandler(deps: ServiceDeps): ResourceHandler {
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
      const { ModelArn } = await call<{ ModelArn: string }>(deps, 'CreateModel', {
        ...request.properties,
        ModelName,
      });
      return { physicalId: ModelArn, attributes: { ModelName } };
    },
    update: keepPhysical,
    async delete(request: DeleteRequest) {
      await ignoreMissing(call(deps, 'DeleteModel', { ModelName: request.attributes.ModelName }));
    },
  };
}

export function endpointConfigHandler(deps: ServiceDeps): ResourceHandler {
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
      const input = coerceMembers(
        { ...request.properties, EndpointConfigName },
        ENDPOINT_CONFIG_FIELDS,
      ) as Record<string, unknown>;
      const { EndpointConfigArn } = await call<{ EndpointConfigArn: string }>(
        deps,
        'CreateEndpointConfig',
        input,
      );
      return { physicalId: EndpointConfigArn, attributes: { EndpointConfigName } };
    },
    update: keepPhysical,
    async delete(request) {
      await ignoreMissing(
        call(deps, 'DeleteEndpointConfig', { EndpointConfigName: request.attributes.EndpointConfigName }),
      );
    },
  };
}

interface EndpointDescription {
  readonly EndpointStatus: string;
  readonly EndpointConfigName: string;
  readonly FailureReason?: string;
}

const SETTLING = new Set(['Creating', 'Updating', 'RollingBack', 'SystemUpdating']);

/** Waits until an endpoint leaves the transitional statuses (CloudFormation waits the same way). */
async function settledEndpoint(
  deps: ServiceDeps,
  name: string,
  signal: AbortSignal,
): Promise<EndpointDescription> {
  for (;;) {
    const endpoint = await call<EndpointDescription>(deps, 'DescribeEndpoint', { EndpointName: name });
    if (!SETTLING.has(endpoint.EndpointStatus)) return endpoint;
    await sleep(ENDPOINT_POLL_MS, undefined, { signal });
  }
}

/** The CloudFormation-only switches of AWS::SageMaker::Endpoint are not CreateEndpoint members. */
function endpointInput(
  properties: Readonly<Record<string, unknown>>,
  EndpointName: string,
): Record<string, unknown> {
  const { RetainAllVariantProperties, RetainDeploymentConfig, ExcludeRetainedVariantProperties, ...rest } =
    properties;
  void RetainDeploymentConfig;
  void ExcludeRetainedVariantProperties;
  void RetainAllVariantProperties;
  return coerceMembers({ ...rest, EndpointName }, ENDPOINT_FIELDS) as Record<string, unknown>;
}

export function endpointHandler(deps: ServiceDeps): ResourceHandler {
  return {
    attributes: ['EndpointName'],
    replaceOn: ['EndpointName'],
    async create(request) {
      const EndpointName = (request.properties.EndpointName as string | undefined) ?? sagemakerName(request);
      const { EndpointArn } = await call<{ EndpointArn: string }>(
        deps,
        'CreateEndpoint',
        endpointInput(request.properties, EndpointName),
      );
      request.created?.({ physicalId: EndpointArn, attributes: { EndpointName } });
      const endpoint = await settledEndpoint(deps, EndpointName, request.signal);
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
      const current = await settledEndpoint(deps, EndpointName, request.signal);
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
      await call(deps, 'UpdateEndpoint', { ...update, EndpointName });
      const endpoint = await settledEndpoint(deps, EndpointName, request.signal);
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
      await ignoreMissing(settledEndpoint(deps, EndpointName, request.signal));
      await ignoreMissing(call(deps, 'DeleteEndpoint', { EndpointName }));
    },
  };
}

export function modelPackageGroupHandler(deps: ServiceDeps): ResourceHandler {
  return {
    attributes: ['ModelPackageGroupArn', 'CreationTime', 'ModelPackageGroupStatus'],
    replaceOn: ['ModelPackageGroupName', 'ModelPackageGroupDescription'],
    async create(request) {
      const ModelPackageGroupName =
        (request.properties.ModelPackageGroupName as string | undefined) ?? sagemakerName(request);
      const { ModelPackageGroupPolicy, ...input } = request.properties;
      void ModelPackageGroupPolicy;
      const { ModelPackageGroupArn } = await call<{ ModelPackageGroupArn: string }>(
        deps,
        'CreateModelPackageGroup',
        {
          ...input,
          ModelPackageGroupName,
        },
      );
      request.created?.({ physicalId: ModelPackageGroupArn, attributes: { ModelPackageGroupName } });
      const described = await call<{ CreationTime?: unknown; ModelPackageGroupStatus?: string }>(
        deps,
        'DescribeModelPackageGroup',
        {
          ModelPackageGroupName,
        },
      );
      const created = isoTime(described.CreationTime);
      return {
        physicalId: ModelPackageGroupArn,
        attributes: {
          ModelPackageGroupArn,
          ModelPackageGroupName,
          CreationTime: created,
          ModelPackageGroupStatus: described.ModelPackageGroupStatus ?? 'Completed',
        },
      };
    },
    update: keepPhysical,
    async delete(request) {
      await ignoreMissing(
        call(deps, 'DeleteModelPackageGroup', {
          ModelPackageGroupName: request.attributes.ModelPackageGroupName,
        }),
      );
    },
  };
}

/** SageMaker answers timestamps as epoch seconds (or Dates); GetAtt gives them as ISO-8601 text. */
function isoTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value * 1000).toISOString();
  return String(value);
}
