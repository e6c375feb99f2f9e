import type { DataQualityMonitoringProps } from './data-quality-monitoring';
import type { StackProps } from 'aws-cdk-lib';

/**
 * Where the endpoint's model comes from. The values given here become the defaults of the template's
 * CloudFormation parameters, so a deploy may still override them without a new synthesis.
 */
export type ModelSource =
  /** The model name the pipeline's record-model-name Lambda wrote to SSM (resolved at deploy time). */
  | { readonly kind: 'ssmParameter'; readonly parameterName?: string }
  /** An existing SageMaker model, by name (e.g. the pipeline's CreateModel step output). */
  | { readonly kind: 'modelName'; readonly modelName?: string }
  /** A registered model package (the registry path): the stack creates the model from it. */
  | {
      readonly kind: 'modelPackage';
      readonly modelPackageArn?: string;
      /** The role SageMaker assumes to run the model (pull the image, read the artifact). */
      readonly executionRoleArn?: string;
    };

/** Instances behind the endpoint, or serverless capacity. */
export type Capacity =
  | {
      readonly kind: 'instances';
      /** Default `ml.m5.large`. */
      readonly instanceType?: string;
      /** Initial and minimum instance count. Default 2, so a canary has an instance of its own. */
      readonly instanceCount?: number;
      /** Target tracking on invocations per instance; `false` turns autoscaling off. */
      readonly autoscaling?: AutoscalingProps | false;
    }
  | {
      readonly kind: 'serverless';
      /** 1024-6144 in steps of 1024. Default 2048. */
      readonly memorySizeMb?: number;
      /** 1-200. Default 5. */
      readonly maxConcurrency?: number;
    };

export interface AutoscalingProps {
  /** Upper bound of the instance count. Default 4. */
  readonly maxInstanceCount?: number;
  /** Target of SageMakerVariantInvocationsPerInstance (invocations per instance per minute). Default 100. */
  readonly invocationsPerInstance?: number;
}

/** How much of the new (green) fleet takes traffic in one step. */
export interface CapacitySize {
  readonly type: 'INSTANCE_COUNT' | 'CAPACITY_PERCENT';
  readonly value: number;
}

/** Blue/green traffic shifting; each step bakes for `waitIntervalSeconds` while the alarms watch. */
export type TrafficRouting =
  | { readonly type: 'ALL_AT_ONCE'; readonly waitIntervalSeconds?: number }
  | { readonly type: 'CANARY'; readonly canarySize?: CapacitySize; readonly waitIntervalSeconds?: number }
  | {
      readonly type: 'LINEAR';
      readonly linearStepSize?: CapacitySize;
      readonly waitIntervalSeconds?: number;
    };

/** Thresholds of the CloudWatch alarms that roll a deployment back. */
export interface RollbackAlarmProps {
  /** Invocation 5XX errors per minute at or above which the deployment rolls back. Default 1. */
  readonly invocation5xxErrors?: number;
  /** Average model latency in milliseconds above which the deployment rolls back. Default 1000. */
  readonly modelLatencyMs?: number;
  /** Consecutive one-minute periods a threshold must be breached. Default 2. */
  readonly evaluationMinutes?: number;
}

export interface DataCaptureProps {
  /** Percentage of requests captured, 0-100. Default 20. */
  readonly samplingPercentage?: number;
  /** `s3://bucket/prefix`; empty (the default) leaves capture off until a deploy sets the parameter. */
  readonly destinationS3Uri?: string;
}

export interface EndpointStackProps extends StackProps {
  /** Default: the SSM parameter `/mlops/abalone/model-name`, the original template's behaviour. */
  readonly modelSource?: ModelSource;
  /** Default: 2 × ml.m5.large with autoscaling. */
  readonly capacity?: Capacity;
  /** Default: canary of 50% of the green fleet, baking 300 s. */
  readonly trafficRouting?: TrafficRouting;
  readonly rollbackAlarms?: RollbackAlarmProps;
  /** Ignored for serverless endpoints, which do not support data capture. */
  readonly dataCapture?: DataCaptureProps;
  /** Adds Model Monitor data-quality monitoring of the captured traffic (docs/monitoring.md). Default off. */
  readonly monitoring?: DataQualityMonitoringProps;
  /** The endpoint is named `<endpointNamePrefix>-<stageName>` (lower case). Default `abalone`. */
  readonly endpointNamePrefix?: string;
  /** Default `staging`. */
  readonly stageName?: string;
  /** Upper bound of a blue/green deployment, 600-14400 s. Default 3600. */
  readonly maximumExecutionTimeoutSeconds?: number;
  /** How long the old fleet stays after all traffic moved, 0-3600 s. Default 300. */
  readonly terminationWaitSeconds?: number;
}

export const DEFAULT_MODEL_NAME_PARAMETER = '/mlops/abalone/model-name';
export const VARIANT_NAME = 'AllTraffic';

/** The props with every default filled in and every value checked. */
export interface ResolvedEndpointProps {
  readonly modelSource: ModelSource;
  readonly capacity: ResolvedCapacity;
  readonly trafficRouting: ResolvedTrafficRouting;
  readonly rollbackAlarms: Required<RollbackAlarmProps>;
  readonly dataCapture: Required<DataCaptureProps>;
  readonly endpointNamePrefix: string;
  readonly stageName: string;
  readonly maximumExecutionTimeoutSeconds: number;
  readonly terminationWaitSeconds: number;
}

export type ResolvedCapacity =
  | {
      readonly kind: 'instances';
      readonly instanceType: string;
      readonly instanceCount: number;
      readonly autoscaling: Required<AutoscalingProps> | false;
    }
  | { readonly kind: 'serverless'; readonly memorySizeMb: number; readonly maxConcurrency: number };

export interface ResolvedTrafficRouting {
  readonly type: TrafficRouting['type'];
  readonly waitIntervalSeconds: number;
  readonly stepSize?: CapacitySize;
}

/** Lower case because SageMaker lower-cases endpoint names in ARNs, which IAM policies match. */
export const NAME_PART_PATTERN = '^[a-z0-9](-*[a-z0-9])*$';
/** Endpoint names are at most 63 characters: `<prefix>-<stage>`. */
export const MAX_PREFIX_LENGTH = 40;
export const MAX_STAGE_LENGTH = 20;

export function resolveEndpointProps(props: EndpointStackProps): ResolvedEndpointProps {
  const capacity = resolveCapacity(props.capacity ?? { kind: 'instances' });
  return {
    modelSource: props.modelSource ?? { kind: 'ssmParameter' },
    capacity,
    trafficRouting: resolveTrafficRouting(props.trafficRouting ?? { type: 'CANARY' }, capacity.kind),
    rollbackAlarms: {
      invocation5xxErrors: checkRange(
        'rollbackAlarms.invocation5xxErrors',
        props.rollbackAlarms?.invocation5xxErrors ?? 1,
        1,
        1e6,
      ),
      modelLatencyMs: checkRange(
        'rollbackAlarms.modelLatencyMs',
        props.rollbackAlarms?.modelLatencyMs ?? 1000,
        1,
        3.6e6,
      ),
      evaluationMinutes: checkRange(
        'rollbackAlarms.evaluationMinutes',
        props.rollbackAlarms?.evaluationMinutes ?? 2,
        1,
        60,
      ),
    },
    dataCapture: {
      samplingPercentage: checkRange(
        'dataCapture.samplingPercentage',
        props.dataCapture?.samplingPercentage ?? 20,
        0,
        100,
      ),
      destinationS3Uri: checkS3Uri(props.dataCapture?.destinationS3Uri ?? ''),
    },
    endpointNamePrefix: checkNamePart(
      'endpointNamePrefix',
      props.endpointNamePrefix ?? 'abalone',
      MAX_PREFIX_LENGTH,
    ),
    stageName: checkNamePart('stageName', props.stageName ?? 'staging', MAX_STAGE_LENGTH),
    maximumExecutionTimeoutSeconds: checkRange(
      'maximumExecutionTimeoutSeconds',
      props.maximumExecutionTimeoutSeconds ?? 3600,
      600,
      14400,
    ),
    terminationWaitSeconds: checkRange(
      'terminationWaitSeconds',
      props.terminationWaitSeconds ?? 300,
      0,
      3600,
    ),
  };
}

function resolveCapacity(capacity: Capacity): ResolvedCapacity {
  if (capacity.kind === 'serverless') {
    const memorySizeMb = checkRange('capacity.memorySizeMb', capacity.memorySizeMb ?? 2048, 1024, 6144);
    if (memorySizeMb % 1024 !== 0) {
      throw new Error(
        `capacity.memorySizeMb is ${memorySizeMb}; expected a multiple of 1024 between 1024 and 6144`,
      );
    }
    return {
      kind: 'serverless',
      memorySizeMb,
      maxConcurrency: checkRange('capacity.maxConcurrency', capacity.maxConcurrency ?? 5, 1, 200),
    };
  }
  const autoscaling = capacity.autoscaling === false ? false : resolveAutoscaling(capacity.autoscaling ?? {});
  const instanceCount = checkRange('capacity.instanceCount', capacity.instanceCount ?? 2, 1, 1000);
  if (autoscaling && autoscaling.maxInstanceCount < instanceCount) {
    throw new Error(
      `capacity.autoscaling.maxInstanceCount is ${autoscaling.maxInstanceCount}; expected at least capacity.instanceCount (${instanceCount})`,
    );
  }
  return {
    kind: 'instances',
    instanceType: checkInstanceType(capacity.instanceType ?? 'ml.m5.large'),
    instanceCount,
    autoscaling,
  };
}

function resolveAutoscaling(autoscaling: AutoscalingProps): Required<AutoscalingProps> {
  return {
    maxInstanceCount: checkRange(
      'capacity.autoscaling.maxInstanceCount',
      autoscaling.maxInstanceCount ?? 4,
      1,
      1000,
    ),
    invocationsPerInstance: checkRange(
      'capacity.autoscaling.invocationsPerInstance',
      autoscaling.invocationsPerInstance ?? 100,
      1,
      1e6,
    ),
  };
}

function resolveTrafficRouting(
  routing: TrafficRouting,
  capacityKind: Capacity['kind'],
): ResolvedTrafficRouting {
  const waitIntervalSeconds = checkRange(
    'trafficRouting.waitIntervalSeconds',
    routing.waitIntervalSeconds ?? 300,
    0,
    3600,
  );
  if (routing.type === 'ALL_AT_ONCE') return { type: routing.type, waitIntervalSeconds };
  // SageMaker's limits: a canary is at most half of the green fleet; a linear step 10-50% of it.
  const [prop, size, minPercent] =
    routing.type === 'CANARY'
      ? (['trafficRouting.canarySize', routing.canarySize, 1] as const)
      : (['trafficRouting.linearStepSize', routing.linearStepSize, 10] as const);
  const stepSize = size ?? { type: 'CAPACITY_PERCENT', value: routing.type === 'CANARY' ? 50 : 25 };
  if (stepSize.type === 'CAPACITY_PERCENT') checkRange(`${prop}.value`, stepSize.value, minPercent, 50);
  else if (capacityKind === 'serverless') {
    throw new Error(
      `${prop}.type is INSTANCE_COUNT; a serverless endpoint has no instances, expected CAPACITY_PERCENT`,
    );
  } else checkRange(`${prop}.value`, stepSize.value, 1, 1000);
  return { type: routing.type, waitIntervalSeconds, stepSize };
}

function checkRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} is ${value}; expected an integer from ${min} to ${max}`);
  }
  return value;
}

function checkNamePart(name: string, value: string, maxLength: number): string {
  if (!new RegExp(NAME_PART_PATTERN).test(value) || value.length > maxLength) {
    throw new Error(
      `${name} is "${value}"; expected lower-case letters, digits and inner hyphens, at most ${maxLength} characters`,
    );
  }
  return value;
}

function checkInstanceType(value: string): string {
  if (!/^ml\.[a-z0-9-]+\.[a-z0-9]+$/.test(value)) {
    throw new Error(
      `capacity.instanceType is "${value}"; expected a SageMaker instance type such as ml.m5.large`,
    );
  }
  return value;
}

export const S3_URI_PATTERN = '^(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?)?$';

function checkS3Uri(value: string): string {
  if (!new RegExp(S3_URI_PATTERN).test(value)) {
    throw new Error(
      `dataCapture.destinationS3Uri is "${value}"; expected s3://bucket/prefix or an empty string`,
    );
  }
  return value;
}
