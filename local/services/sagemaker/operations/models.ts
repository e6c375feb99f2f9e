import type {
  CreateModelInput,
  CreateModelOutput,
  DeleteModelInput,
  DescribeModelInput,
  DescribeModelOutput,
  ListModelsInput,
  ListModelsOutput,
} from '@aws-sdk/client-sagemaker';

import { dateOf } from '../../../core/dates';
import { operation } from '../../../core/operations';
import type { OperationHandler } from '../../../core/service';
import type { Validated } from '../../../core/validated';
import type { SageMakerServices } from '../index';
import { pageMembers } from '../pagination';

/** Models: CreateModel, DescribeModel, ListModels, DeleteModel. */
export function modelOperations({
  models,
}: Pick<SageMakerServices, 'models'>): Record<string, OperationHandler> {
  return {
    CreateModel: operation<Validated<CreateModelInput>, CreateModelOutput>((input) => ({
      ModelArn: models.create(input).ModelArn,
    })),
    DescribeModel: operation<Validated<DescribeModelInput>, DescribeModelOutput>((input) => {
      const record = models.describe(input.ModelName);
      return { ...record, CreationTime: dateOf(record.CreationTime) };
    }),
    DeleteModel: operation<Validated<DeleteModelInput>, Record<string, never>>((input) => {
      models.delete(input.ModelName);
      return {};
    }),
    ListModels: operation<Validated<ListModelsInput>, ListModelsOutput>((input) => {
      const page = models.list(input);
      const summaries = page.items.map(({ ModelName, ModelArn, CreationTime }) => ({
        ModelName,
        ModelArn,
        CreationTime: dateOf(CreationTime),
      }));
      return pageMembers('Models', { ...page, items: summaries });
    }),
  };
}
