import type {
  AddTagsInput,
  AddTagsOutput,
  DeleteTagsInput,
  ListTagsInput,
  ListTagsOutput,
} from '@aws-sdk/client-sagemaker';

import { operation } from '../../../core/operations';
import type { OperationHandler } from '../../../core/service';
import type { Validated } from '../../../core/validated';
import type { SageMakerServices } from '../index';
import { listPage, pageMembers } from '../pagination';

/** Tags of any SageMaker resource, by ARN. */
export function tagOperations({ tags }: Pick<SageMakerServices, 'tags'>): Record<string, OperationHandler> {
  return {
    AddTags: operation<Validated<AddTagsInput>, AddTagsOutput>((input) => ({
      Tags: tags.add(input.ResourceArn, input.Tags),
    })),
    ListTags: operation<Validated<ListTagsInput>, ListTagsOutput>((input) =>
      pageMembers(
        'Tags',
        listPage(tags.get(input.ResourceArn), input, {
          sortKeys: { Key: 'Key' },
          defaultSortBy: 'Key',
          defaultOrder: 'Ascending',
        }),
      ),
    ),
    DeleteTags: operation<Validated<DeleteTagsInput>, Record<string, never>>((input) => {
      tags.delete(input.ResourceArn, input.TagKeys);
      return {};
    }),
  };
}
