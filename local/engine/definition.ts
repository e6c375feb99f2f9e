/**
 * The parts of a SageMaker pipeline definition (the JSON CreatePipeline stores) the executor reads.
 * Validation proper is the project validator's job (pipeline/validate.ts); these types only name fields.
 */
import type {
  ConditionStepArguments,
  PipelineDefinition as WirePipelineDefinition,
  StepDefinition,
} from '../../pipeline/dsl/wire';

export type {
  OutputParameterDefinition as OutputParameter,
  ParameterDefinition,
  ParameterType,
  PropertyFileDefinition as PropertyFile,
  RetryPolicyDefinition as RetryPolicy,
  StepDefinition,
} from '../../pipeline/dsl/wire';

/**
 * The DSL's wire shape, except that other writers (the SageMaker Python SDK) may leave out Version,
 * Metadata and Parameters, and the experiment config is passed on as it is.
 */
export type PipelineDefinition = Pick<WirePipelineDefinition, 'Steps'> &
  Partial<Pick<WirePipelineDefinition, 'Version' | 'Metadata' | 'Parameters'>> & {
    readonly PipelineExperimentConfig?: Readonly<Record<string, unknown>>;
  };

/** Condition steps' Arguments; If/Else lists may be absent in SDK-written definitions. */
export type ConditionArguments = Pick<ConditionStepArguments, 'Conditions'> &
  Partial<Pick<ConditionStepArguments, 'IfSteps' | 'ElseSteps'>>;

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
