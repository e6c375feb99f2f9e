import type {
  CreatePipelineRequest,
  CreatePipelineResponse,
  DeletePipelineRequest,
  DeletePipelineResponse,
  DescribePipelineRequest,
  DescribePipelineResponse,
  ListPipelinesRequest,
  ListPipelinesResponse,
  PipelineSummary,
  UpdatePipelineRequest,
  UpdatePipelineResponse,
} from '@aws-sdk/client-sagemaker';

import { dateMember, dateOf } from '../../../core/dates';
import { operation } from '../../../core/operations';
import { optional } from '../../../core/optional';
import type { OperationHandler } from '../../../core/service';
import type { Validated } from '../../../core/validated';
import type { SageMakerServices } from '../index';
import { pageMembers } from '../pagination';
import type { PipelineRecord } from '../pipelines';

/** Pipelines: create (inline or from S3, checked by the project's validator), update, describe, list, delete. */
export function pipelineOperations({
  pipelines,
}: Pick<SageMakerServices, 'pipelines'>): Record<string, OperationHandler> {
  return {
    CreatePipeline: operation<Validated<CreatePipelineRequest>, CreatePipelineResponse>(async (input) => ({
      PipelineArn: (await pipelines.create(input)).PipelineArn,
    })),
    UpdatePipeline: operation<Validated<UpdatePipelineRequest>, UpdatePipelineResponse>(async (input) => {
      const record = await pipelines.update(input);
      return { PipelineArn: record.PipelineArn, PipelineVersionId: record.PipelineVersionId };
    }),
    DeletePipeline: operation<Validated<DeletePipelineRequest>, DeletePipelineResponse>((input) => ({
      PipelineArn: pipelines.delete(input.PipelineName).PipelineArn,
    })),
    DescribePipeline: operation<Validated<DescribePipelineRequest>, DescribePipelineResponse>((input) =>
      describePipeline(pipelines.get(input.PipelineName)),
    ),
    ListPipelines: operation<Validated<ListPipelinesRequest>, ListPipelinesResponse>((input) => {
      const page = pipelines.list(input);
      return pageMembers('PipelineSummaries', { ...page, items: page.items.map(pipelineSummary) });
    }),
  };
}

function describePipeline(record: PipelineRecord): DescribePipelineResponse {
  return {
    PipelineArn: record.PipelineArn,
    PipelineName: record.PipelineName,
    PipelineDisplayName: record.PipelineDisplayName,
    PipelineDefinition: record.PipelineDefinition,
    ...optional('PipelineDescription', record.PipelineDescription),
    RoleArn: record.RoleArn,
    PipelineStatus: record.PipelineStatus,
    CreationTime: dateOf(record.CreationTime),
    LastModifiedTime: dateOf(record.LastModifiedTime),
    ...dateMember('LastRunTime', record.LastRunTime),
    CreatedBy: {},
    LastModifiedBy: {},
    ...optional('ParallelismConfiguration', record.ParallelismConfiguration),
  };
}

function pipelineSummary(record: PipelineRecord): PipelineSummary {
  return {
    PipelineArn: record.PipelineArn,
    PipelineName: record.PipelineName,
    PipelineDisplayName: record.PipelineDisplayName,
    ...optional('PipelineDescription', record.PipelineDescription),
    RoleArn: record.RoleArn,
    CreationTime: dateOf(record.CreationTime),
    LastModifiedTime: dateOf(record.LastModifiedTime),
    ...dateMember('LastExecutionTime', record.LastRunTime),
  };
}
