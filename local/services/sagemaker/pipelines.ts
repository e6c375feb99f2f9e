import type {
  CreatePipelineRequest,
  ListPipelinesRequest,
  ParallelismConfiguration,
  UpdatePipelineRequest,
} from '@aws-sdk/client-sagemaker';

import { validateDefinition } from '../../../pipeline/validate';
import type { ObjectStoreApi } from '../../core/deps';
import { AwsError, notFound, validationError } from '../../core/errors';
import type { Page } from '../../core/pagination';
import { optional } from '../../core/optional';
import type { Validated } from '../../core/validated';
import type { StateStore } from '../../state/store';
import { epochSeconds } from '../../engine/execution-record';
import { resourceArn, type ArnContext } from './arns';
import { checkPipelineName } from './input';
import { createdBetween, listPage } from './pagination';
import type { TagStore } from './tags';

export interface PipelineRecord {
  PipelineName: string;
  PipelineArn: string;
  PipelineDisplayName: string;
  PipelineDescription?: string;
  PipelineDefinition: string;
  RoleArn: string;
  PipelineStatus: 'Active';
  CreationTime: number;
  LastModifiedTime: number;
  LastRunTime?: number;
  ParallelismConfiguration?: { MaxParallelExecutionSteps: number };
  PipelineVersionId: number;
  ClientRequestToken?: string;
}

const COLLECTION = 'sagemaker/pipelines';
const MAX_PARALLEL_STEPS = 256;

/** CreatePipeline, UpdatePipeline, DescribePipeline, DeletePipeline, ListPipelines. */
export class PipelineService {
  constructor(
    private readonly store: StateStore,
    private readonly arns: ArnContext,
    private readonly objects: ObjectStoreApi,
    private readonly tags: TagStore,
  ) {}

  /** A pipeline by name or ARN, or ResourceNotFound as the service answers. */
  get(nameOrArn: string): PipelineRecord {
    const name = nameOrArn.replace(/^arn:[^/]*:pipeline\//, '');
    const record = name ? this.find(name) : undefined;
    if (!record) {
      throw notFound(
        'ResourceNotFound',
        `Pipeline '${resourceArn(this.arns, 'pipeline', name || String(nameOrArn))}' does not exist.`,
      );
    }
    return record;
  }

  save(record: PipelineRecord): void {
    this.store.put(COLLECTION, record.PipelineName.toLowerCase(), record);
  }

  private find(name: string): PipelineRecord | undefined {
    return this.store.get<PipelineRecord>(COLLECTION, name.toLowerCase());
  }

  /** CreatePipeline; a repeated create (same ClientRequestToken) answers the pipeline it made. */
  async create(input: Validated<CreatePipelineRequest>): Promise<PipelineRecord> {
    const name = checkPipelineName(input.PipelineName);
    const existing = this.repeatedCreate(name, input.ClientRequestToken);
    if (existing) return existing;
    if (!input.RoleArn.startsWith('arn:')) {
      throw validationError(`RoleArn must be an IAM role ARN; got ${JSON.stringify(input.RoleArn)}`);
    }
    const definition = await this.definitionText(input);
    // Again after the await: a concurrent create of the same name may have finished meanwhile.
    const created = this.repeatedCreate(name, input.ClientRequestToken);
    if (created) return created;
    const now = epochSeconds();
    const record: PipelineRecord = {
      PipelineName: name,
      PipelineArn: resourceArn(this.arns, 'pipeline', name),
      PipelineDisplayName: input.PipelineDisplayName ?? name,
      ...optional('PipelineDescription', input.PipelineDescription),
      PipelineDefinition: definition,
      RoleArn: input.RoleArn,
      PipelineStatus: 'Active',
      CreationTime: now,
      LastModifiedTime: now,
      ...parallelism(input.ParallelismConfiguration),
      PipelineVersionId: 1,
      ...optional('ClientRequestToken', input.ClientRequestToken),
    };
    this.save(record);
    this.tags.add(record.PipelineArn, input.Tags);
    return record;
  }

  /**
   * The pipeline a repeated create answers with (same ClientRequestToken), else undefined when the name is
   * free; a taken name is the service's ValidationException.
   */
  private repeatedCreate(name: string, token: string | undefined): PipelineRecord | undefined {
    const existing = this.find(name);
    if (!existing) return undefined;
    if (token !== undefined && existing.ClientRequestToken === token) return existing;
    throw validationError(
      `Pipeline names must be unique within an AWS account and region. Pipeline with name (${name}) already exists.`,
    );
  }

  async update(input: Validated<UpdatePipelineRequest>): Promise<PipelineRecord> {
    const record = this.get(input.PipelineName);
    const hasDefinition =
      input.PipelineDefinition !== undefined || input.PipelineDefinitionS3Location !== undefined;
    const definition = hasDefinition ? await this.definitionText(input) : record.PipelineDefinition;
    const updated: PipelineRecord = {
      ...record,
      PipelineDefinition: definition,
      ...optional('PipelineDisplayName', input.PipelineDisplayName),
      ...optional('PipelineDescription', input.PipelineDescription),
      ...optional('RoleArn', input.RoleArn),
      ...parallelism(input.ParallelismConfiguration),
      LastModifiedTime: epochSeconds(),
      PipelineVersionId: record.PipelineVersionId + (definition === record.PipelineDefinition ? 0 : 1),
    };
    this.save(updated);
    return updated;
  }

  delete(nameOrArn: string): PipelineRecord {
    const record = this.get(nameOrArn);
    this.store.delete(COLLECTION, record.PipelineName.toLowerCase());
    this.tags.delete(record.PipelineArn);
    return record;
  }

  list(input: Validated<ListPipelinesRequest>): Page<PipelineRecord> {
    const prefix = input.PipelineNamePrefix?.toLowerCase() ?? '';
    const records = this.store
      .list<PipelineRecord>(COLLECTION)
      .filter((record) => record.PipelineName.toLowerCase().startsWith(prefix))
      .filter((record) => createdBetween(record.CreationTime, input.CreatedAfter, input.CreatedBefore));
    return listPage(records, input, {
      sortKeys: { Name: 'PipelineName', CreationTime: 'CreationTime' },
      defaultSortBy: 'CreationTime',
      defaultOrder: 'Descending',
    });
  }

  /** The definition from PipelineDefinition or PipelineDefinitionS3Location, checked by the project's validator. */
  private async definitionText(
    input: Pick<CreatePipelineRequest, 'PipelineDefinition' | 'PipelineDefinitionS3Location'>,
  ): Promise<string> {
    const inline = input.PipelineDefinition;
    const location = input.PipelineDefinitionS3Location;
    if ((inline === undefined) === (location === undefined)) {
      throw validationError(
        'Exactly one of PipelineDefinition and PipelineDefinitionS3Location must be specified',
      );
    }
    const text = inline ?? (await this.readDefinition(location ?? {}));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw validationError(`PipelineDefinition is not valid JSON: ${(error as Error).message}`);
    }
    const issues = validateDefinition(parsed);
    if (issues.length > 0) {
      throw validationError(
        `Invalid pipeline definition (${issues.length} problem${issues.length === 1 ? '' : 's'}): ${issues.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`,
      );
    }
    return text;
  }

  private async readDefinition(location: {
    Bucket?: string | undefined;
    ObjectKey?: string | undefined;
  }): Promise<string> {
    if (!location.Bucket || !location.ObjectKey) {
      throw validationError('PipelineDefinitionS3Location needs Bucket and ObjectKey');
    }
    try {
      return (await this.objects.getObject({ bucket: location.Bucket, key: location.ObjectKey })).toString(
        'utf8',
      );
    } catch (error) {
      const reason = error instanceof AwsError ? `${error.code}: ${error.message}` : String(error);
      throw validationError(
        `Could not read the pipeline definition from s3://${location.Bucket}/${location.ObjectKey} (${reason})`,
      );
    }
  }
}

/** ParallelismConfiguration as stored, checked against the service's range. */
export function parallelism(value: ParallelismConfiguration | undefined): {
  ParallelismConfiguration?: { MaxParallelExecutionSteps: number };
} {
  if (value === undefined) return {};
  const max = value.MaxParallelExecutionSteps;
  if (max === undefined || !Number.isInteger(max) || max < 1 || max > MAX_PARALLEL_STEPS) {
    throw validationError(
      `ParallelismConfiguration.MaxParallelExecutionSteps must be an integer from 1 to ${MAX_PARALLEL_STEPS}; got ${JSON.stringify(max)}`,
    );
  }
  return { ParallelismConfiguration: { MaxParallelExecutionSteps: max } };
}
