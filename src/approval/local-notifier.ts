import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';

import {
  DELIVERY_COLLECTIONS,
  deliver,
  listDeliveries,
  type LambdaDelivery,
  type SnsDelivery,
} from '../../local/services/events/deliveries';
import { StateStore } from '../../local/state/store';
import { createClient, type AwsClientOptions } from '../aws/clients';
import { notifyReviewers, type PackageStateChangeEvent } from './review-notifier';
import { reviewNotifierName } from './rules';

const RUNS = 'approvals/notifier-runs';

/** The local approvers' topic of a group (its messages are kept on disk: the e-mail they would get). */
export const localApprovalTopic = (groupName: string) => `${groupName}-approvals`;

export interface LocalNotifierOptions {
  readonly stateDir: string;
  readonly clientOptions: AwsClientOptions;
  readonly groupName: string;
  /** The endpoint stack the new package is compared with. */
  readonly stackName: string;
}

/**
 * The local stand-in for the notifier Lambda of the approval stack. Offline, the PendingManualApproval
 * rule's invocations of `<group>-review-notifier` are kept on disk; this runs each once with the same
 * notifier as the Lambda (src/approval/review-notifier.ts), against the local AWS, and keeps the message
 * it publishes on disk as the approvers' topic's delivery — the e-mail they would get.
 */
export async function runLocalNotifier(options: LocalNotifierOptions): Promise<SnsDelivery[]> {
  const store = new StateStore(options.stateDir);
  const pending = listDeliveries<LambdaDelivery>(
    store,
    DELIVERY_COLLECTIONS.lambda(reviewNotifierName(options.groupName)),
  ).filter((delivery) => !store.get(RUNS, delivery.EventId));
  const clients = {
    sagemaker: createClient(SageMakerClient, options.clientOptions),
    cloudformation: createClient(CloudFormationClient, options.clientOptions),
    s3: createClient(S3Client, options.clientOptions),
  };
  const published: SnsDelivery[] = [];
  for (const invocation of pending) {
    const event = JSON.parse(invocation.Payload) as PackageStateChangeEvent;
    // It runs late (at the next command), not at registration as the Lambda does: a package decided
    // meanwhile (e.g. approved by mlops run) no longer awaits review, and its message would mislead.
    if (await decidedMeanwhile(clients.sagemaker, event)) {
      markRun(store, invocation.EventId);
      continue;
    }
    await notifyReviewers(clients, event, {
      stackName: options.stackName,
      target: 'local',
      publish: ({ subject, text }) => {
        published.push(
          deliver(store, {
            targetArn: localTopicArn(invocation.FunctionArn, options.groupName),
            subject,
            body: text,
            headers: {},
            eventId: invocation.EventId,
            ruleArn: invocation.RuleArn,
          }) as SnsDelivery,
        );
        return Promise.resolve();
      },
    });
    markRun(store, invocation.EventId);
  }
  return published;
}

/** Each invocation runs once: the record says when. */
function markRun(store: StateStore, eventId: string): void {
  store.put(RUNS, eventId, { eventId, ranAt: new Date().toISOString() });
}

async function decidedMeanwhile(
  sagemaker: SageMakerClient,
  event: PackageStateChangeEvent,
): Promise<boolean> {
  const arn = event.detail?.ModelPackageArn;
  if (typeof arn !== 'string' || arn === '') return false;
  const described = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  return described.ModelApprovalStatus !== 'PendingManualApproval';
}

/** The messages the approvers' topic received since `since` (kept on disk: the e-mail they would get). */
export function localNotifications(stateDir: string, groupName: string, since: string): SnsDelivery[] {
  return listDeliveries<SnsDelivery>(
    new StateStore(stateDir),
    DELIVERY_COLLECTIONS.sns(localApprovalTopic(groupName)),
  ).filter((delivery) => delivery.Time >= since);
}

/** The approvers' topic in the function's partition, region and account. */
export function localTopicArn(functionArn: string, groupName: string): string {
  const [, partition, , region, account] = functionArn.split(':');
  return `arn:${partition}:sns:${region}:${account}:${localApprovalTopic(groupName)}`;
}
