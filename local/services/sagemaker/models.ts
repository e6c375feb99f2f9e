import { AwsError, validationError } from '../../core/errors';
import type { OperationHandler } from '../../core/service';
import type { StateStore } from '../../state/store';
import { epochSeconds } from '../../engine/execution-record';
import type { ModelContainer } from '../../runtimes/job-runtime';
import { resourceArn, type ArnContext } from './arns';
import { filterByNameAndCreationTime, listPage } from './pagination';
import type { TagStore } from './tags';

export type ModelRecord = Record<string, unknown> & {
  ModelName: string;
  ModelArn: string;
  CreationTime: number;
};

const COLLECTION = 'sagemaker/models';
const NAME_PATTERN = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** SageMaker models (CreateModel and the pipeline's Model steps); endpoint configs refer to them by name. */
export class ModelService {
  constructor(
    private readonly store: StateStore,
    private readonly arns: ArnContext,
    private readonly tags: TagStore,
  ) {}

  create(input: Record<string, unknown>): ModelRecord {
    const name = input.ModelName;
    if (typeof name !== 'string' || name.length > 63 || !NAME_PATTERN.test(name)) {
      throw validationError(
        `ModelName ${JSON.stringify(name)} is not valid; expected 1-63 letters, digits and hyphens, starting and ending alphanumeric`,
      );
    }
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
  describe(name: unknown): ModelRecord {
    const record = typeof name === 'string' ? this.find(name) : undefined;
    if (!record) throw missing(name, this.arns);
    return record;
  }

  /** The container a model serves (its primary container, else its first container). */
  container(name: string): ModelContainer | undefined {
    const record = this.find(name) as
      { PrimaryContainer?: ModelContainer; Containers?: ModelContainer[] } | undefined;
    return record?.PrimaryContainer ?? record?.Containers?.[0];
  }

  operations(): Record<string, OperationHandler> {
    return {
      CreateModel: (input) => ({ ModelArn: this.create(input).ModelArn }),
      DescribeModel: (input) => this.describe(input.ModelName),
      DeleteModel: (input) => {
        const record = this.describe(input.ModelName);
        this.store.delete(COLLECTION, record.ModelName.toLowerCase());
        this.tags.delete(record.ModelArn);
        return {};
      },
      ListModels: (input) => {
        const records = filterByNameAndCreationTime(
          this.store.list<ModelRecord>(COLLECTION),
          input,
          (record) => record.ModelName,
        );
        const page = listPage(records, input, {
          sortKeys: { Name: 'ModelName', CreationTime: 'CreationTime' },
          defaultSortBy: 'CreationTime',
          defaultOrder: 'Descending',
        });
        return {
          Models: page.items.map(({ ModelName, ModelArn, CreationTime }) => ({
            ModelName,
            ModelArn,
            CreationTime,
          })),
          ...(page.nextToken ? { NextToken: page.nextToken } : {}),
        };
      },
    };
  }
}

function missing(name: unknown, arns: ArnContext): AwsError {
  const arn = typeof name === 'string' ? resourceArn(arns, 'model', name) : String(name);
  return validationError(`Could not find model "${arn}".`);
}
