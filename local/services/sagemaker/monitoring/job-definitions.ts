import type {
  CreateDataQualityJobDefinitionRequest,
  DescribeDataQualityJobDefinitionResponse,
  ListDataQualityJobDefinitionsRequest,
} from '@aws-sdk/client-sagemaker';

import { AwsError, notFound, validationError } from '../../../core/errors';
import type { Page } from '../../../core/pagination';
import type { Validated } from '../../../core/validated';
import type { StateStore } from '../../../state/store';
import { epochSeconds } from '../../../engine/execution-record';
import { resourceArn, type ArnContext } from '../arns';
import { checkName } from '../input';
import { filterByNameAndCreationTime, listPage } from '../pagination';

/** A stored data-quality job definition: DescribeDataQualityJobDefinition's response, times as epoch seconds. */
export type JobDefinitionRecord = Omit<
  Validated<DescribeDataQualityJobDefinitionResponse>,
  'CreationTime'
> & {
  readonly CreationTime: number;
};

const COLLECTION = 'sagemaker/data-quality-job-definitions';

/** Data-quality job definitions: what a monitoring schedule runs (image, baseline, endpoint, output, resources). */
export class JobDefinitionService {
  constructor(
    private readonly store: StateStore,
    private readonly arns: ArnContext,
  ) {}

  create(input: Validated<CreateDataQualityJobDefinitionRequest>): JobDefinitionRecord {
    const name = checkName('JobDefinitionName', input.JobDefinitionName);
    const arn = resourceArn(this.arns, 'data-quality-job-definition', name);
    if (this.find(name))
      throw new AwsError('ResourceInUse', `Job definition with name ${name} already exists (${arn})`);
    checkDefinition(input);
    const { Tags: _tags, ...rest } = input;
    void _tags;
    const record: JobDefinitionRecord = {
      ...rest,
      JobDefinitionName: name,
      JobDefinitionArn: arn,
      CreationTime: epochSeconds(),
    } as JobDefinitionRecord;
    this.store.put(COLLECTION, name.toLowerCase(), record);
    return record;
  }

  find(name: string): JobDefinitionRecord | undefined {
    return this.store.get<JobDefinitionRecord>(COLLECTION, name.toLowerCase());
  }

  describe(name: string): JobDefinitionRecord {
    const record = this.find(name);
    if (!record) throw notFound('ResourceNotFound', `Could not find data quality job definition "${name}".`);
    return record;
  }

  delete(name: string, usedBy: (definition: string) => string | undefined): JobDefinitionRecord {
    const record = this.describe(name);
    const schedule = usedBy(record.JobDefinitionName!);
    if (schedule) {
      throw new AwsError(
        'ResourceInUse',
        `Job definition ${record.JobDefinitionName} is used by monitoring schedule ${schedule}; delete the schedule first`,
      );
    }
    this.store.delete(COLLECTION, record.JobDefinitionName!.toLowerCase());
    return record;
  }

  list(input: Validated<ListDataQualityJobDefinitionsRequest>): Page<JobDefinitionRecord> {
    const records = filterByNameAndCreationTime(
      this.store.list<JobDefinitionRecord>(COLLECTION),
      input,
      (record) => record.JobDefinitionName ?? '',
    ).filter((record) => !input.EndpointName || endpointOf(record) === input.EndpointName);
    return listPage(records, input, {
      sortKeys: { Name: 'JobDefinitionName', CreationTime: 'CreationTime' },
      defaultSortBy: 'CreationTime',
      defaultOrder: 'Descending',
    });
  }
}

export function endpointOf(record: JobDefinitionRecord): string | undefined {
  return record.DataQualityJobInput?.EndpointInput?.EndpointName;
}

/** What the local AWS needs of a definition: an endpoint input (batch-transform inputs are not captured locally). */
function checkDefinition(input: CreateDataQualityJobDefinitionRequest): void {
  if (!input.DataQualityJobInput?.EndpointInput?.EndpointName) {
    throw validationError(
      'DataQualityJobInput.EndpointInput.EndpointName is required locally: the local AWS monitors endpoint capture (BatchTransformInput is not supported)',
    );
  }
  if (!input.DataQualityJobOutputConfig?.MonitoringOutputs?.[0]?.S3Output?.S3Uri) {
    throw validationError('DataQualityJobOutputConfig.MonitoringOutputs[0].S3Output.S3Uri is required');
  }
  if (!input.DataQualityAppSpecification?.ImageUri) {
    throw validationError('DataQualityAppSpecification.ImageUri is required');
  }
}
