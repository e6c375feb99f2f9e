import type {
  DescribeProcessingJobRequest,
  DescribeProcessingJobResponse,
  DescribeTrainingJobRequest,
  DescribeTrainingJobResponse,
  DescribeTransformJobRequest,
  DescribeTransformJobResponse,
  ListProcessingJobsRequest,
  ListProcessingJobsResponse,
  ListTrainingJobsRequest,
  ListTrainingJobsResponse,
  ListTransformJobsRequest,
  ListTransformJobsResponse,
} from '@aws-sdk/client-sagemaker';

import { dateOf } from '../../../core/dates';
import { operation } from '../../../core/operations';
import type { OperationHandler } from '../../../core/service';
import type { Validated } from '../../../core/validated';
import type { JobKind } from '../../../engine/deps';
import type { SageMakerServices } from '../index';
import { JOB_SHAPES, type JobRecord } from '../jobs';

/** Describe and List of the three job kinds (created by pipeline steps, Model Monitor or CreateProcessingJob). */
export function jobOperations({ jobs }: Pick<SageMakerServices, 'jobs'>): Record<string, OperationHandler> {
  const describe = <Output>(kind: JobKind, name: string) =>
    described<Output>(kind, jobs.describe(kind, name));
  return {
    DescribeProcessingJob: operation<Validated<DescribeProcessingJobRequest>, DescribeProcessingJobResponse>(
      (input) => describe('Processing', input.ProcessingJobName),
    ),
    DescribeTrainingJob: operation<Validated<DescribeTrainingJobRequest>, DescribeTrainingJobResponse>(
      (input) => describe('Training', input.TrainingJobName),
    ),
    DescribeTransformJob: operation<Validated<DescribeTransformJobRequest>, DescribeTransformJobResponse>(
      (input) => describe('Transform', input.TransformJobName),
    ),
    ListProcessingJobs: operation<Validated<ListProcessingJobsRequest>, ListProcessingJobsResponse>((input) =>
      listed('Processing', jobs, input),
    ),
    ListTrainingJobs: operation<Validated<ListTrainingJobsRequest>, ListTrainingJobsResponse>((input) =>
      listed('Training', jobs, input),
    ),
    ListTransformJobs: operation<Validated<ListTransformJobsRequest>, ListTransformJobsResponse>((input) =>
      listed('Transform', jobs, input),
    ),
  };
}

/**
 * A job record as its Describe*Job answer. The record holds the request the engine resolved from a
 * pipeline step's untyped arguments, so TypeScript cannot check it; the codec still serializes it by the
 * model's output shape (unmodelled members dropped).
 */
function described<Output>(kind: JobKind, record: JobRecord): Output {
  const shape = JOB_SHAPES[kind];
  const times = ['CreationTime', 'LastModifiedTime', shape.startMember, shape.endMember];
  const answer: Record<string, unknown> = { ...record, ...datesOf(record, times) };
  if (Array.isArray(record.SecondaryStatusTransitions)) {
    answer.SecondaryStatusTransitions = (record.SecondaryStatusTransitions as JobRecord[]).map(
      (transition) => ({
        ...transition,
        ...datesOf(transition, ['StartTime', 'EndTime']),
      }),
    );
  }
  return answer as Output;
}

/** A List*Jobs answer: `<Kind>JobSummaries` of the members the summaries have, and NextToken. */
function listed<Output>(
  kind: JobKind,
  jobs: SageMakerServices['jobs'],
  input: Parameters<SageMakerServices['jobs']['list']>[1],
): Output {
  const shape = JOB_SHAPES[kind];
  const page = jobs.list(kind, input);
  const members = [
    shape.nameMember,
    shape.arnMember,
    'CreationTime',
    shape.endMember,
    'LastModifiedTime',
    shape.statusMember,
    'FailureReason',
    'ExitMessage',
    'SecondaryStatus',
  ];
  const summaries = page.items.map((record) =>
    Object.fromEntries(
      members.filter((member) => record[member] !== undefined).map((member) => [member, record[member]]),
    ),
  );
  const answer = {
    [shape.summaryPlural]: summaries.map((summary) => ({ ...summary, ...datesOf(summary, members) })),
    ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
  };
  return answer as Output;
}

/** The members among `names` that hold epoch seconds, as Dates. */
function datesOf(record: JobRecord, names: readonly string[]): Record<string, Date> {
  const entries = names.flatMap((name) => {
    const value = record[name];
    return typeof value === 'number' ? [[name, dateOf(value)] as const] : [];
  });
  return Object.fromEntries(entries);
}
