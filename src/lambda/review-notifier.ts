import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

import { createClient } from '../aws/clients';
import {
  notifyReviewers,
  type PackageStateChangeEvent,
  type ReviewNotifierClients,
} from '../approval/review-notifier';

/**
 * The approval stack's notifier (infra/lib/approval/): the PendingManualApproval rule invokes it with the
 * registry's state-change event; it e-mails the approvers through the SNS topic what to review — the
 * package, its metrics against the one serving ENDPOINT_STACK_NAME, and how to approve or reject. The
 * message comes from src/approval/review-message.ts, the same module the local AWS uses offline.
 */
let clients: (ReviewNotifierClients & { readonly sns: SNSClient }) | undefined;

export async function handler(event: PackageStateChangeEvent): Promise<{ subject: string }> {
  const topicArn = requiredEnv('TOPIC_ARN');
  const stackName = requiredEnv('ENDPOINT_STACK_NAME');
  const options = { userAgent: 'review-notifier/1.0.0' };
  clients ??= {
    sagemaker: createClient(SageMakerClient, options),
    cloudformation: createClient(CloudFormationClient, options),
    s3: createClient(S3Client, options),
    sns: createClient(SNSClient, options),
  };
  const { sns } = clients;
  const message = await notifyReviewers(clients, event, {
    stackName,
    target: 'aws',
    publish: async ({ subject, text }) => {
      await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: text }));
    },
  });
  return { subject: message.subject };
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `review-notifier: the environment variable ${name} is not set; the approval stack sets it`,
    );
  return value;
}
