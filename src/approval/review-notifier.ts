import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  type DescribeModelPackageCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';

import { readS3Text } from '../aws/s3-objects';
import { servingModelPackage } from '../deploy/serving-package';
import { numericLeaves } from '../pipeline/metrics-record';
import { reviewMessage, type ReviewFacts, type ReviewMessage, type ReviewedPackage } from './review-message';

export interface ReviewNotifierClients {
  readonly sagemaker: SageMakerClient;
  readonly cloudformation: CloudFormationClient;
  readonly s3: S3Client;
}

export interface ReviewNotifierOptions {
  /** The endpoint stack whose serving package the new one is compared with. */
  readonly stackName: string;
  readonly target: ReviewFacts['target'];
  /** Sends the message: SNS Publish on AWS, a record on disk offline. */
  readonly publish: (message: ReviewMessage) => Promise<void>;
}

/** The part of a `SageMaker Model Package State Change` event the notifier reads. */
export interface PackageStateChangeEvent {
  readonly region?: string;
  readonly detail?: { readonly ModelPackageArn?: unknown };
}

/**
 * The notifier behind the PendingManualApproval rule: reads the package the event names and the one
 * serving the endpoint stack now, with both evaluation reports, and publishes the approvers' message.
 */
export async function notifyReviewers(
  clients: ReviewNotifierClients,
  event: PackageStateChangeEvent,
  options: ReviewNotifierOptions,
): Promise<ReviewMessage> {
  const arn = event.detail?.ModelPackageArn;
  if (typeof arn !== 'string' || arn === '')
    throw new Error(
      `the event has no detail.ModelPackageArn; expected a "SageMaker Model Package State Change" event, got ${JSON.stringify(event).slice(0, 500)}`,
    );
  const message = reviewMessage(await gatherReviewFacts(clients, { ...options, modelPackageArn: arn }));
  await options.publish(message);
  return message;
}

/** What the approvers' message says, read from the registry, the endpoint stack and S3. */
export async function gatherReviewFacts(
  clients: ReviewNotifierClients,
  options: { modelPackageArn: string; stackName: string; target: ReviewFacts['target'] },
): Promise<ReviewFacts> {
  const described = await describe(clients.sagemaker, options.modelPackageArn);
  const servingArn = await servingModelPackage(clients, options.stackName);
  const serving =
    servingArn === undefined
      ? undefined
      : await reviewed(
          clients,
          servingArn === options.modelPackageArn ? described : await describe(clients.sagemaker, servingArn),
        );
  return {
    groupName: described.ModelPackageGroupName ?? '(no group)',
    candidate: await reviewed(clients, described),
    serving,
    stackName: options.stackName,
    target: options.target,
    region: options.modelPackageArn.split(':')[3] ?? '',
  };
}

function describe(sagemaker: SageMakerClient, arn: string): Promise<DescribeModelPackageCommandOutput> {
  return sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
}

async function reviewed(
  clients: ReviewNotifierClients,
  described: DescribeModelPackageCommandOutput,
): Promise<ReviewedPackage> {
  const identity = {
    arn: described.ModelPackageArn ?? '',
    ...(described.ModelPackageVersion !== undefined ? { version: described.ModelPackageVersion } : {}),
  };
  const reportUri = described.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
  if (!reportUri)
    return { ...identity, metricsProblem: 'the package names no ModelQuality statistics report' };
  try {
    const metrics = Object.fromEntries(numericLeaves(JSON.parse(await readS3Text(clients.s3, reportUri))));
    return { ...identity, reportUri, metrics };
  } catch (error) {
    // The message still goes out: the approvers can open the report themselves.
    return {
      ...identity,
      reportUri,
      metricsProblem: `${reportUri} could not be read (${(error as Error).message})`,
    };
  }
}
