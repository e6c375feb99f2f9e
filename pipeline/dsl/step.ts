import { serialize, stepsOf } from './expressions';
import { assertStepName } from './names';
import type {
  CacheConfigDefinition,
  RetryExceptionType,
  RetryPolicyDefinition,
  StepDefinition,
} from './wire';

export interface StepOptions {
  readonly displayName?: string;
  readonly description?: string;
  /** Steps that must finish first although no argument reads their results. */
  readonly dependsOn?: readonly (Step | string)[];
}

export interface RetryPolicy {
  readonly exceptionTypes: readonly RetryExceptionType[];
  /** Seconds before the first retry (service default 1). */
  readonly intervalSeconds?: number;
  /** Multiplier of the interval per retry (service default 2.0). */
  readonly backoffRate?: number;
  /** At most 20 (service default 5); give this or `expireAfterMin`, not both. */
  readonly maxAttempts?: number;
  readonly expireAfterMin?: number;
}

export interface RetryOptions {
  readonly retryPolicies?: readonly RetryPolicy[];
}

export interface CacheConfig {
  readonly enabled: boolean;
  /** ISO 8601 duration such as `P30D` or `PT1H`. */
  readonly expireAfter?: string;
}

export interface CacheOptions {
  readonly cacheConfig?: CacheConfig;
}

type CommonOptions = StepOptions & RetryOptions & CacheOptions;

const MAX_RETRY_ATTEMPTS = 20;

/** A pipeline step. Subclasses give the type, the arguments and the typed `properties` tree. */
export abstract class Step<Properties = unknown> {
  abstract readonly type: string;
  abstract readonly properties: Properties;

  protected constructor(
    readonly name: string,
    private readonly common: CommonOptions,
  ) {
    assertStepName(name);
    common.retryPolicies?.forEach((policy, index) => checkRetryPolicy(name, policy, index));
  }

  /** The step's Arguments as builder values (expressions are serialized by `toWire`). */
  protected abstract arguments(): unknown;

  /** Type-specific members written after the common ones (PropertyFiles, FunctionArn, ...). */
  protected extraMembers(): Readonly<Record<string, unknown>> {
    return {};
  }

  /** Steps whose results this step reads, plus the step objects it depends on explicitly. */
  upstreamSteps(): readonly Step[] {
    const explicit = (this.common.dependsOn ?? []).filter(
      (entry): entry is Step => typeof entry !== 'string',
    );
    return unique([...this.dataDependencies(), ...explicit]);
  }

  protected dataDependencies(): readonly Step[] {
    return stepsOf([this.arguments(), this.extraMembers()]);
  }

  toWire(): StepDefinition {
    const { dependsOn, displayName, description, retryPolicies, cacheConfig } = this.common;
    return {
      Name: this.name,
      Type: this.type,
      Arguments: serialize(this.arguments()),
      ...(dependsOn !== undefined &&
        dependsOn.length > 0 && {
          DependsOn: dependsOn.map((entry) => (typeof entry === 'string' ? entry : entry.name)),
        }),
      ...(displayName !== undefined && { DisplayName: displayName }),
      ...(description !== undefined && { Description: description }),
      ...(retryPolicies !== undefined &&
        retryPolicies.length > 0 && { RetryPolicies: retryPolicies.map(retryPolicyDefinition) }),
      ...(cacheConfig && { CacheConfig: cacheConfigDefinition(cacheConfig) }),
      ...(serialize(this.extraMembers()) as Record<string, unknown>),
    };
  }
}

function checkRetryPolicy(step: string, policy: RetryPolicy, index: number): void {
  const where = `step ${step}: retryPolicies[${index}]`;
  if (policy.exceptionTypes.length === 0) throw new Error(`${where}: exceptionTypes must not be empty`);
  if (policy.maxAttempts !== undefined && policy.expireAfterMin !== undefined) {
    throw new Error(`${where}: give maxAttempts or expireAfterMin, not both`);
  }
  const attempts = policy.maxAttempts;
  if (
    attempts !== undefined &&
    (!Number.isInteger(attempts) || attempts < 1 || attempts > MAX_RETRY_ATTEMPTS)
  ) {
    throw new Error(`${where}: maxAttempts ${attempts} must be an integer from 1 to ${MAX_RETRY_ATTEMPTS}`);
  }
}

function retryPolicyDefinition(policy: RetryPolicy): RetryPolicyDefinition {
  return {
    ExceptionType: policy.exceptionTypes,
    ...(policy.intervalSeconds !== undefined && { IntervalSeconds: policy.intervalSeconds }),
    ...(policy.backoffRate !== undefined && { BackoffRate: policy.backoffRate }),
    ...(policy.maxAttempts !== undefined && { MaxAttempts: policy.maxAttempts }),
    ...(policy.expireAfterMin !== undefined && { ExpireAfterMin: policy.expireAfterMin }),
  };
}

function cacheConfigDefinition(config: CacheConfig): CacheConfigDefinition {
  return {
    Enabled: config.enabled,
    ...(config.expireAfter !== undefined && { ExpireAfter: config.expireAfter }),
  };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
