/** The pipeline builder: typed parameters, steps, properties and expressions → definition JSON. */
export {
  equals,
  greaterThan,
  greaterThanOrEqualTo,
  isIn,
  lessThan,
  lessThanOrEqualTo,
  not,
  or,
  Condition,
} from './conditions';
export { Execution, Expression, join, jsonGet, type Value } from './expressions';
export { parameter, Parameter } from './parameters';
export { Pipeline, PipelineDefinitionError, type ExperimentConfig, type PipelineProps } from './pipeline';
export type { Pipelined } from './pipelined';
export { PropertyRef, type OpenList } from './properties';
export { PropertyFile } from './property-file';
export { Step, type CacheConfig, type RetryPolicy, type StepOptions } from './step';
export { ConditionStep, type ConditionStepProps } from './steps/condition';
export { DataQualityBaselineStep, type DataQualityBaselineStepProps } from './steps/data-quality-baseline';
export { FailStep, type FailStepProps } from './steps/fail';
export { LambdaStep, type LambdaStepProps } from './steps/lambda';
export { ModelStep, type ModelArguments, type ModelStepProps } from './steps/model';
export {
  processingInput,
  processingOutput,
  ProcessingStep,
  type ProcessingArguments,
  type ProcessingStepProps,
} from './steps/processing';
export {
  RegisterModelStep,
  type RegisterModelArguments,
  type RegisterModelStepProps,
} from './steps/register-model';
export { TrainingStep, type TrainingArguments, type TrainingStepProps } from './steps/training';
export { TransformStep, type TransformArguments, type TransformStepProps } from './steps/transform';
export * from './wire';
