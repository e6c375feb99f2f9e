import type { Node } from 'constructs';

import type {
  Capacity,
  CapacitySize,
  EndpointStackProps,
  ModelSource,
  TrafficRouting,
} from './endpoint-props';

/**
 * Reads the endpoint stack's props from CDK context (`-c key=value` or cdk.json), falling back to the
 * environment variable `MLOPS_<KEY_IN_SNAKE_CASE>` (e.g. `modelPackageArn` ← `MLOPS_MODEL_PACKAGE_ARN`).
 * Absent keys keep the stack's defaults. The keys are listed in docs/cdk.md.
 */
export function endpointPropsFromContext(
  node: Node,
  env: NodeJS.ProcessEnv = process.env,
): EndpointStackProps {
  const read = new ContextReader(node, env);
  const tags = read.json('tags');
  return {
    modelSource: modelSource(read),
    capacity: capacity(read),
    trafficRouting: trafficRouting(read),
    rollbackAlarms: defined({
      invocation5xxErrors: read.number('rollbackInvocation5xxErrors'),
      modelLatencyMs: read.number('rollbackModelLatencyMs'),
      evaluationMinutes: read.number('rollbackEvaluationMinutes'),
    }),
    dataCapture: defined({
      samplingPercentage: read.number('dataCapturePercent'),
      destinationS3Uri: read.string('dataCaptureS3Uri'),
    }),
    ...defined({
      endpointNamePrefix: read.string('endpointNamePrefix'),
      stageName: read.string('stageName'),
      maximumExecutionTimeoutSeconds: read.number('deploymentTimeoutSeconds'),
      terminationWaitSeconds: read.number('terminationWaitSeconds'),
      tags: tags === undefined ? undefined : stringMap('tags', tags),
    }),
  };
}

const MODEL_SOURCES = ['ssmParameter', 'modelName', 'modelPackage'] as const;

/** `modelSource` wins; otherwise a given `modelPackageArn` or `modelName` picks its source; SSM is the default. */
function modelSource(read: ContextReader): ModelSource {
  const modelPackageArn = read.string('modelPackageArn');
  const modelName = read.string('modelName');
  const kind =
    read.oneOf('modelSource', MODEL_SOURCES) ??
    (modelPackageArn ? 'modelPackage' : modelName ? 'modelName' : 'ssmParameter');
  switch (kind) {
    case 'ssmParameter':
      return { kind, ...defined({ parameterName: read.string('modelNameParameter') }) };
    case 'modelName':
      return { kind, ...defined({ modelName }) };
    case 'modelPackage':
      return { kind, ...defined({ modelPackageArn, executionRoleArn: read.string('executionRoleArn') }) };
  }
}

function capacity(read: ContextReader): Capacity {
  if (read.boolean('serverless')) {
    return {
      kind: 'serverless',
      ...defined({
        memorySizeMb: read.number('serverlessMemoryMb'),
        maxConcurrency: read.number('serverlessMaxConcurrency'),
      }),
    };
  }
  const autoscaling = read.boolean('autoscaling') === false ? false : undefined;
  return {
    kind: 'instances',
    ...defined({
      instanceType: read.string('instanceType'),
      instanceCount: read.number('instanceCount'),
      autoscaling:
        autoscaling ??
        defined({
          maxInstanceCount: read.number('maxInstanceCount'),
          invocationsPerInstance: read.number('invocationsPerInstance'),
        }),
    }),
  };
}

const ROUTING_TYPES = ['ALL_AT_ONCE', 'CANARY', 'LINEAR'] as const;
const SIZE_TYPES = ['CAPACITY_PERCENT', 'INSTANCE_COUNT'] as const;

function trafficRouting(read: ContextReader): TrafficRouting {
  const type = read.oneOf('trafficRouting', ROUTING_TYPES) ?? 'CANARY';
  const waitIntervalSeconds = read.number('waitIntervalSeconds');
  const stepValue = read.number('trafficStepSize');
  const size: CapacitySize | undefined =
    stepValue === undefined
      ? undefined
      : { type: read.oneOf('trafficStepType', SIZE_TYPES) ?? 'CAPACITY_PERCENT', value: stepValue };
  if (type === 'ALL_AT_ONCE') return { type, ...defined({ waitIntervalSeconds }) };
  if (type === 'CANARY') return { type, ...defined({ waitIntervalSeconds, canarySize: size }) };
  return { type, ...defined({ waitIntervalSeconds, linearStepSize: size }) };
}

/** Typed access to context values, which arrive as strings from `-c` and as JSON values from cdk.json. */
class ContextReader {
  constructor(
    private readonly node: Node,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  raw(key: string): unknown {
    const value: unknown = this.node.tryGetContext(key);
    if (value !== undefined && value !== '') return value;
    const fromEnv = this.env[environmentName(key)];
    return fromEnv === '' ? undefined : fromEnv;
  }

  string(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined || typeof value === 'string') return value;
    throw new Error(`context ${key} is ${JSON.stringify(value)}; expected a string`);
  }

  number(key: string): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    const number = typeof value === 'number' ? value : Number(value);
    if (typeof value === 'boolean' || !Number.isFinite(number)) {
      throw new Error(`context ${key} is ${JSON.stringify(value)}; expected a number`);
    }
    return number;
  }

  boolean(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined || typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new Error(`context ${key} is ${JSON.stringify(value)}; expected true or false`);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
    throw new Error(`context ${key} is "${value}"; expected one of ${allowed.join(', ')}`);
  }

  /** A JSON object given inline (`-c tags='{"team":"ml"}'`) or as an object in cdk.json. */
  json(key: string): unknown {
    const value = this.raw(key);
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new Error(`context ${key} is ${JSON.stringify(value)}; expected a JSON object`);
    }
  }
}

/** `dataCaptureS3Uri` → `MLOPS_DATA_CAPTURE_S3_URI`. */
function environmentName(key: string): string {
  return `MLOPS_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

function stringMap(key: string, value: unknown): Record<string, string> {
  const isStringMap =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string');
  if (!isStringMap)
    throw new Error(`context ${key} is ${JSON.stringify(value)}; expected a JSON object of strings`);
  return value as Record<string, string>;
}

type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** Drops undefined entries, so absent context keys leave the props' defaults in place. */
function defined<T extends object>(entries: T): Partial<Defined<T>> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as Partial<
    Defined<T>
  >;
}
