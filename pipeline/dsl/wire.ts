/**
 * The wire shapes of a SageMaker Model Building Pipeline definition (Version 2020-12-01), as the service
 * accepts them and as the SageMaker Python SDK writes them. The DSL emits these; the validator, the graph
 * and the diff read them (after checking, since a definition file can hold anything).
 */

export const DEFINITION_VERSION = '2020-12-01';

export type Primitive = string | number | boolean;

export interface GetExpression {
  readonly Get: string;
}

export interface JoinExpression {
  readonly 'Std:Join': { readonly On: string; readonly Values: readonly WireValue[] };
}

export interface JsonGetExpression {
  readonly 'Std:JsonGet': {
    readonly PropertyFile?: GetExpression;
    readonly S3Uri?: WireValue;
    readonly Path: string;
  };
}

export type WireExpression = GetExpression | JoinExpression | JsonGetExpression;

/** Where a definition accepts a value, it accepts a literal or an expression evaluated at run time. */
export type WireValue = Primitive | WireExpression;

export type ParameterType = 'String' | 'Integer' | 'Float' | 'Boolean';

export interface ParameterDefinition {
  readonly Name: string;
  readonly Type: ParameterType;
  readonly DefaultValue?: Primitive;
  readonly EnumValues?: readonly string[];
}

export type ComparisonType =
  'Equals' | 'GreaterThan' | 'GreaterThanOrEqualTo' | 'LessThan' | 'LessThanOrEqualTo';

export type ConditionDefinition =
  | { readonly Type: ComparisonType; readonly LeftValue: WireValue; readonly RightValue: WireValue }
  | { readonly Type: 'In'; readonly QueryValue: WireValue; readonly Values: readonly WireValue[] }
  | { readonly Type: 'Not'; readonly Condition: ConditionDefinition }
  | { readonly Type: 'Or'; readonly Conditions: readonly ConditionDefinition[] };

export type RetryExceptionType =
  | 'Step.SERVICE_FAULT'
  | 'Step.THROTTLING'
  | 'SageMaker.JOB_INTERNAL_ERROR'
  | 'SageMaker.CAPACITY_ERROR'
  | 'SageMaker.RESOURCE_LIMIT';

export interface RetryPolicyDefinition {
  readonly ExceptionType: readonly RetryExceptionType[];
  readonly IntervalSeconds?: number;
  readonly BackoffRate?: number;
  readonly MaxAttempts?: number;
  readonly ExpireAfterMin?: number;
}

export interface CacheConfigDefinition {
  readonly Enabled: boolean;
  /** ISO 8601 duration, e.g. `P30D`. */
  readonly ExpireAfter?: string;
}

export interface PropertyFileDefinition {
  readonly PropertyFileName: string;
  readonly OutputName: string;
  readonly FilePath: string;
}

export type OutputParameterType = 'String' | 'Integer' | 'Boolean' | 'Float';

export interface OutputParameterDefinition {
  readonly OutputName: string;
  readonly OutputType: OutputParameterType;
}

export interface StepDefinition {
  readonly Name: string;
  readonly Type: string;
  readonly Arguments: unknown;
  readonly DependsOn?: readonly string[];
  readonly DisplayName?: string;
  readonly Description?: string;
  readonly RetryPolicies?: readonly RetryPolicyDefinition[];
  readonly CacheConfig?: CacheConfigDefinition;
  /** Processing steps only. */
  readonly PropertyFiles?: readonly PropertyFileDefinition[];
  /** Lambda steps only. */
  readonly FunctionArn?: WireValue;
  /** Callback steps only. */
  readonly SqsQueueUrl?: WireValue;
  /** Lambda and Callback steps. */
  readonly OutputParameters?: readonly OutputParameterDefinition[];
}

export interface ConditionStepArguments {
  readonly Conditions: readonly ConditionDefinition[];
  readonly IfSteps: readonly StepDefinition[];
  readonly ElseSteps: readonly StepDefinition[];
}

export interface PipelineExperimentConfigDefinition {
  readonly ExperimentName: WireValue;
  readonly TrialName: WireValue;
}

export interface PipelineDefinition {
  readonly Version: typeof DEFINITION_VERSION;
  readonly Metadata: Readonly<Record<string, unknown>>;
  readonly Parameters: readonly ParameterDefinition[];
  readonly PipelineExperimentConfig?: PipelineExperimentConfigDefinition;
  readonly Steps: readonly StepDefinition[];
}
