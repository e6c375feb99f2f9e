import type {
  CreateDataQualityJobDefinitionRequest,
  DescribeDataQualityJobDefinitionResponse,
  ListDataQualityJobDefinitionsRequest,
  MonitoringJobDefinitionSummary,
} from '@aws-sdk/client-sagemaker';

import { AwsError, notFound, validationError } from '../../../core/errors';
import type { StateStore } from '../../../state/store';
import { epochSeconds } from '../../../engine/execution-record';
import { resourceArn, type ArnContext } from '../arns';
import { checkName } from '../endpoint-configs';
import { filterByNameAndCreationTime, listPage, type ListRequest } from '../pagination';

/** A stored data-quality job definition: DescribeDataQualityJobDefinition's response, times as epoch seconds. */
export type JobDefinitionRecord = Omit<DescribeDataQualityJobDefinitionResponse, 'CreationTime'> & {
  readonly CreationTime: number;
};

const COLLECTION = 'sagemaker/data-quality-job-definitions';

/** Data-quality job definitions: what a monitoring schedule runs (image, baseline, endpoint, output, resources). */
export class JobDefinitionService {
  constructor(
    private readonly store: StateStore,
    private readonly arns: ArnContext,
  ) {}

  create(input: CreateDataQualityJobDefinitionRequest): { JobDefinitionArn: string } {
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
    return { JobDefinitionArn: arn };
  }

  find(name: string): JobDefinitionRecord | undefined {
    return this.store.get<JobDefinitionRecord>(COLLECTION, name.toLowerCase());
  }

  describe(name: unknown): JobDefinitionRecord {
    const record = typeof name === 'string' ? this.find(name) : undefined;
    if (!record)
      throw notFound('ResourceNotFound', `Could not find data quality job definition "${String(name)}".`);
    return record;
  }

  delete(name: unknown, usedBy: (definition: string) => string | undefined): Record<string, never> {
    const record = this.describe(name);
    const schedule = usedBy(record.JobDefinitionName!);
    if (schedule) {
      throw new AwsError(
        'ResourceInUse',
        `Job definition ${record.JobDefinitionName} is used by monitoring schedule ${schedule}; delete the schedule first`,
      );
    }
    this.store.delete(COLLECTION, record.JobDefinitionName!.toLowerCase());
    return {};
  }

  list(input: ListDataQualityJobDefinitionsRequest): {
    JobDefinitionSummaries: (Omit<MonitoringJobDefinitionSummary, 'CreationTime'> & {
      CreationTime: number;
    })[];
    NextToken?: string;
  } {
    const records = filterByNameAndCreationTime(
      this.store.list<JobDefinitionRecord>(COLLECTION),
      input as Record<string, unknown>,
      (record) => record.JobDefinitionName ?? '',
    ).filter((record) => !input.EndpointName || endpointOf(record) === input.EndpointName);
    const page = listPage(records, input as ListRequest, {
      sortKeys: { Name: 'JobDefinitionName', CreationTime: 'CreationTime' },
      defaultSortBy: 'CreationTime',
      defaultOrder: 'Descending',
    });
    return {
      JobDefinitionSummaries: page.items.map((record) => ({
        MonitoringJobDefinitionName: record.JobDefinitionName,
        MonitoringJobDefinitionArn: record.JobDefinitionArn,
        CreationTime: record.CreationTime,
        EndpointName: endpointOf(record),
      })),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
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
