import type {
  DescribePipelineDefinitionForExecutionRequest,
  DescribePipelineDefinitionForExecutionResponse,
  DescribePipelineExecutionRequest,
  DescribePipelineExecutionResponse,
  ListPipelineExecutionStepsRequest,
  ListPipelineExecutionStepsResponse,
  ListPipelineExecutionsRequest,
  ListPipelineExecutionsResponse,
  ListPipelineParametersForExecutionRequest,
  ListPipelineParametersForExecutionResponse,
  PipelineExecutionStep,
  PipelineExecutionStepMetadata,
  PipelineExecutionSummary,
  StartPipelineExecutionRequest,
  StartPipelineExecutionResponse,
  StopPipelineExecutionRequest,
  StopPipelineExecutionResponse,
} from '@aws-sdk/client-sagemaker';

import { dateMember, dateOf } from '../../../core/dates';
import { operation } from '../../../core/operations';
import { optional } from '../../../core/optional';
import type { OperationHandler } from '../../../core/service';
import type { Validated } from '../../../core/validated';
import type { ExecutionRecord, StepState } from '../../../engine/execution-record';
import type { SageMakerServices } from '../index';
import { pageMembers } from '../pagination';

/** Pipeline executions: start (run by local/engine), describe, list, steps, parameters, definition, stop. */
export function executionOperations({
  executions,
}: Pick<SageMakerServices, 'executions'>): Record<string, OperationHandler> {
  return {
    StartPipelineExecution: operation<
      Validated<StartPipelineExecutionRequest>,
      StartPipelineExecutionResponse
    >((input) => ({ PipelineExecutionArn: executions.start(input).PipelineExecutionArn })),
    DescribePipelineExecution: operation<
      Validated<DescribePipelineExecutionRequest>,
      DescribePipelineExecutionResponse
    >((input) => describeExecution(executions.get(input.PipelineExecutionArn))),
    ListPipelineExecutions: operation<
      Validated<ListPipelineExecutionsRequest>,
      ListPipelineExecutionsResponse
    >((input) => {
      const page = executions.list(input);
      return pageMembers('PipelineExecutionSummaries', { ...page, items: page.items.map(executionSummary) });
    }),
    ListPipelineExecutionSteps: operation<
      Validated<ListPipelineExecutionStepsRequest>,
      ListPipelineExecutionStepsResponse
    >((input) => {
      const page = executions.listSteps(input);
      return pageMembers('PipelineExecutionSteps', { ...page, items: page.items.map(executionStep) });
    }),
    StopPipelineExecution: operation<Validated<StopPipelineExecutionRequest>, StopPipelineExecutionResponse>(
      (input) => ({ PipelineExecutionArn: executions.stop(input.PipelineExecutionArn).PipelineExecutionArn }),
    ),
    DescribePipelineDefinitionForExecution: operation<
      Validated<DescribePipelineDefinitionForExecutionRequest>,
      DescribePipelineDefinitionForExecutionResponse
    >((input) => {
      const record = executions.get(input.PipelineExecutionArn);
      return { PipelineDefinition: record.PipelineDefinition, CreationTime: dateOf(record.CreationTime) };
    }),
    ListPipelineParametersForExecution: operation<
      Validated<ListPipelineParametersForExecutionRequest>,
      ListPipelineParametersForExecutionResponse
    >((input) => {
      const page = executions.listParameters(input);
      const parameters = page.items.map((parameter) => ({ Name: parameter.name, Value: parameter.text }));
      return pageMembers('PipelineParameters', { ...page, items: parameters });
    }),
  };
}

function describeExecution(record: ExecutionRecord): DescribePipelineExecutionResponse {
  return {
    PipelineArn: record.PipelineArn,
    PipelineExecutionArn: record.PipelineExecutionArn,
    PipelineExecutionDisplayName: record.PipelineExecutionDisplayName,
    PipelineExecutionStatus: record.PipelineExecutionStatus,
    ...optional('PipelineExecutionDescription', record.PipelineExecutionDescription),
    ...optional('PipelineExperimentConfig', record.PipelineExperimentConfig),
    ...optional('FailureReason', record.FailureReason),
    CreationTime: dateOf(record.CreationTime),
    LastModifiedTime: dateOf(record.LastModifiedTime),
    CreatedBy: {},
    LastModifiedBy: {},
    ...optional('ParallelismConfiguration', record.ParallelismConfiguration),
    ...optional('PipelineVersionId', record.PipelineVersionId),
  };
}

function executionSummary(record: ExecutionRecord): PipelineExecutionSummary {
  return {
    PipelineExecutionArn: record.PipelineExecutionArn,
    StartTime: dateOf(record.CreationTime),
    PipelineExecutionStatus: record.PipelineExecutionStatus,
    ...optional('PipelineExecutionDescription', record.PipelineExecutionDescription),
    PipelineExecutionDisplayName: record.PipelineExecutionDisplayName,
    ...optional('PipelineExecutionFailureReason', record.FailureReason),
  };
}

function executionStep(step: StepState): PipelineExecutionStep {
  return {
    StepName: step.StepName,
    ...optional('StepDisplayName', step.StepDisplayName),
    ...optional('StepDescription', step.StepDescription),
    ...dateMember('StartTime', step.StartTime),
    ...dateMember('EndTime', step.EndTime),
    StepStatus: step.StepStatus,
    ...optional('CacheHitResult', step.CacheHitResult),
    ...optional('FailureReason', step.FailureReason),
    // The engine writes each step type's Metadata in the model's shape (engine/steps/*).
    ...optional('Metadata', step.Metadata as PipelineExecutionStepMetadata | undefined),
    ...optional('AttemptCount', step.AttemptCount),
  };
}
