import type { CreateModelInput, ListModelsInput } from '@aws-sdk/client-sagemaker';

import { AwsError, validationError } from '../../core/errors';
import type { Page } from '../../core/pagination';
import type { Validated } from '../../core/validated';
import type { StateStore } from '../../state/store';
import { epochSeconds } from '../../engine/execution-record';
import type { ModelContainer } from '../../runtimes/job-runtime';
import { resourceArn, type ArnContext } from './arns';
import { checkModelName } from './input';
import { listNamed } from './pagination';
import type { TagStore } from './tags';

/** A model as stored: its CreateModel request (less tags) and what the service adds. */
export type ModelRecord = Omit<Validated<CreateModelInput>, 'Tags'> & {
  readonly ModelArn: string;
  readonly CreationTime: number;
};

const COLLECTION = 'sagemaker/models';

/** SageMaker models (CreateModel and the pipeline's Model steps); endpoint configs refer to them by name. */
export class ModelService {
  constructor(
    private readonly store: StateStore,
    private readonly arns: ArnContext,
    private readonly tags: TagStore,
  ) {}

  create(input: Validated<CreateModelInput>): ModelRecord {
    const name = checkModelName(input.ModelName);
    if (!input.PrimaryContainer && !Array.isArray(input.Containers)) {
      throw validationError('CreateModel needs PrimaryContainer or Containers');
    }
    const arn = resourceArn(this.arns, 'model', name);
    if (this.find(name)) throw validationError(`Cannot create already existing model "${arn}".`);
    const { Tags: tags, ...rest } = input;
    const record: ModelRecord = { ...rest, ModelName: name, ModelArn: arn, CreationTime: epochSeconds() };
    this.store.put(COLLECTION, name.toLowerCase(), record);
    this.tags.add(arn, tags);
    return record;
  }

  find(name: string): ModelRecord | undefined {
    return this.store.get<ModelRecord>(COLLECTION, name.toLowerCase());
  }

  /** DescribeModel; a missing model is a ValidationException on AWS too. */
  describe(name: string): ModelRecord {
    const record = this.find(name);
    if (!record) throw missing(name, this.arns);
    return record;
  }

  delete(name: string): ModelRecord {
    const record = this.describe(name);
    this.store.delete(COLLECTION, record.ModelName.toLowerCase());
    this.tags.delete(record.ModelArn);
    return record;
  }

  list(input: Validated<ListModelsInput>): Page<ModelRecord> {
    return listNamed(this.store.list<ModelRecord>(COLLECTION), input, {
      nameMember: 'ModelName',
      defaultOrder: 'Descending',
    });
  }

  /** The container a model serves (its primary container, else its first container). */
  container(name: string): ModelContainer | undefined {
    const record = this.find(name);
    return record?.PrimaryContainer ?? record?.Containers?.[0];
  }
}

function missing(name: string, arns: ArnContext): AwsError {
  return validationError(`Could not find model "${resourceArn(arns, 'model', name)}".`);
}
