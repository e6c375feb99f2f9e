/**
 * The three EventBridge rules that close the approval loop, defined once for both homes: the CDK
 * construct (infra/lib/approval/) puts them on AWS with an SNS topic and a GitHub API destination, and
 * `mlops approve|reject` puts them on the local EventBridge. Each matches the registry's
 * `SageMaker Model Package State Change` events of one model package group.
 */
export type ApprovalTransition = 'pending-review' | 'approved' | 'rejected';

/**
 * Where a rule's events go: the notifier (a Lambda on AWS, src/approval/review-notifier.ts; it e-mails the
 * approvers through SNS), or GitHub's repository_dispatch (API destination).
 */
export type ApprovalTargetKind = 'notifier' | 'dispatch';

export interface ApprovalRule {
  readonly transition: ApprovalTransition;
  readonly description: string;
  readonly eventPattern: Readonly<Record<string, unknown>>;
  readonly target: ApprovalTargetKind;
  /** EventBridge InputTransformer: what the target receives; absent: the whole event (the notifier). */
  readonly input?: {
    readonly inputPathsMap: Readonly<Record<string, string>>;
    readonly inputTemplate: string;
  };
}

/** The repository_dispatch event types the deploy workflow listens to. */
export const DISPATCH_EVENT_TYPES = { approved: 'model-approved', rejected: 'model-rejected' } as const;

export type DispatchEventType = (typeof DISPATCH_EVENT_TYPES)[keyof typeof DISPATCH_EVENT_TYPES];

const STATUS_BY_TRANSITION = {
  'pending-review': 'PendingManualApproval',
  approved: 'Approved',
  rejected: 'Rejected',
} as const;

const PACKAGE_FIELDS = {
  arn: '$.detail.ModelPackageArn',
  group: '$.detail.ModelPackageGroupName',
  eventId: '$.id',
} as const;

export function approvalRules(groupName: string): ApprovalRule[] {
  return [
    {
      transition: 'pending-review',
      description: `Tells the approvers that a model package of ${groupName} awaits review`,
      eventPattern: packageStateChange(groupName, 'pending-review'),
      // An input transformer cannot compare metrics: the notifier reads both packages' reports.
      target: 'notifier',
    },
    dispatchRule(groupName, 'approved'),
    dispatchRule(groupName, 'rejected'),
  ];
}

/** The notifier function of a group (Lambda names: at most 64 characters). */
export function reviewNotifierName(groupName: string): string {
  const suffix = '-review-notifier';
  return `${groupName.slice(0, 64 - suffix.length)}${suffix}`;
}

/** The rule's name: `<group>-<transition>` (at most 64 characters, as EventBridge allows). */
export function approvalRuleName(groupName: string, transition: ApprovalTransition): string {
  return `${groupName.slice(0, 64 - transition.length - 1)}-${transition}`;
}

function dispatchRule(groupName: string, transition: 'approved' | 'rejected'): ApprovalRule {
  return {
    transition,
    description:
      transition === 'approved'
        ? `Deploys a model package of ${groupName} when it is approved (repository_dispatch model-approved)`
        : `Rolls back when the serving model package of ${groupName} is rejected (repository_dispatch model-rejected)`,
    eventPattern: packageStateChange(groupName, transition),
    target: 'dispatch',
    input: {
      inputPathsMap: PACKAGE_FIELDS,
      // GitHub's POST /repos/{owner}/{repo}/dispatches body; client_payload reaches the workflow as
      // github.event.client_payload.
      inputTemplate: `{"event_type": "${DISPATCH_EVENT_TYPES[transition]}", "client_payload": {"model_package_arn": <arn>, "model_package_group": <group>, "event_id": <eventId>}}`,
    },
  };
}

function packageStateChange(groupName: string, transition: ApprovalTransition): Record<string, unknown> {
  return {
    source: ['aws.sagemaker'],
    'detail-type': ['SageMaker Model Package State Change'],
    detail: {
      ModelPackageGroupName: [groupName],
      ModelApprovalStatus: [STATUS_BY_TRANSITION[transition]],
      ModelPackageStatus: ['Completed'],
    },
  };
}
