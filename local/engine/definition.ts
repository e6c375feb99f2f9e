/**
 * The parts of a SageMaker pipeline definition (the JSON CreatePipeline stores) the executor reads.
 * Validation proper is the project validator's job (pipeline/validate.ts); these types only name fields.
 */
export type ParameterType = 'String' | 'Integer' | 'Float' | 'Boolean';

export interface ParameterDefinition {
  readonly Name: string;
  readonly Type: ParameterType;
  readonly DefaultValue?: unknown;
  readonly EnumValues?: readonly string[];
}

export interface RetryPolicy {
  readonly ExceptionType: readonly string[];
  readonly IntervalSeconds?: number;
  readonly BackoffRate?: number;
  readonly MaxAttempts?: number;
  readonly ExpireAfterMin?: number;
}

export interface CacheConfig {
  readonly Enabled?: boolean;
  readonly ExpireAfter?: string;
}

export interface PropertyFile {
  readonly PropertyFileName: string;
  readonly OutputName: string;
  readonly FilePath: string;
}

export interface OutputParameter {
  readonly OutputName: string;
  readonly OutputType?: ParameterType;
}

export interface StepDefinition {
  readonly Name: string;
  readonly Type: string;
  readonly Arguments?: unknown;
  readonly DependsOn?: readonly string[];
  readonly DisplayName?: string;
  readonly Description?: string;
  readonly RetryPolicies?: readonly RetryPolicy[];
  readonly CacheConfig?: CacheConfig;
  readonly PropertyFiles?: readonly PropertyFile[];
  readonly FunctionArn?: unknown;
  readonly OutputParameters?: readonly OutputParameter[];
}

export interface ConditionArguments {
  readonly Conditions: readonly unknown[];
  readonly IfSteps?: readonly StepDefinition[];
  readonly ElseSteps?: readonly StepDefinition[];
}

export interface PipelineDefinition {
  readonly Version?: string;
  readonly Parameters?: readonly ParameterDefinition[];
  readonly PipelineExperimentConfig?: Record<string, unknown>;
  readonly Steps: readonly StepDefinition[];
}

/** Parses stored definition text; the text was validated when the pipeline was created or updated. */
export function parseDefinition(text: string): PipelineDefinition {
  const parsed = JSON.parse(text) as unknown;
  if (!isRecord(parsed) || !Array.isArray(parsed.Steps)) {
    throw new Error('pipeline definition must be a JSON object with a Steps array');
  }
  return parsed as unknown as PipelineDefinition;
}

export function conditionArguments(step: StepDefinition): ConditionArguments {
  const args = step.Arguments;
  if (!isRecord(args) || !Array.isArray(args.Conditions)) {
    throw new Error(`Condition step '${step.Name}' needs Arguments.Conditions (a list)`);
  }
  return args as unknown as ConditionArguments;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
