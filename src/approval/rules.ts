/**
 * The three EventBridge rules that close the approval loop, defined once for both homes: the CDK
 * construct (infra/lib/approval/) puts them on AWS with an SNS topic and a GitHub API destination, and
 * `mlops approve|reject` puts them on the local EventBridge. Each matches the registry's
 * `SageMaker Model Package State Change` events of one model package group.
 */
export type ApprovalTransition = 'pending-review' | 'approved' | 'rejected';

/** Where a rule's events go: approvers' e-mail (SNS) or GitHub's repository_dispatch (API destination). */
export type ApprovalTargetKind = 'notify' | 'dispatch';

export interface ApprovalRule {
  readonly transition: ApprovalTransition;
  readonly description: string;
  readonly eventPattern: Readonly<Record<string, unknown>>;
  readonly target: ApprovalTargetKind;
  /** EventBridge InputTransformer: what the target receives. */
  readonly inputPathsMap: Readonly<Record<string, string>>;
  readonly inputTemplate: string;
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
  version: '$.detail.ModelPackageVersion',
  eventId: '$.id',
} as const;

export function approvalRules(groupName: string): ApprovalRule[] {
  return [
    {
      transition: 'pending-review',
      description: `Tells the approvers that a model package of ${groupName} awaits review`,
      eventPattern: packageStateChange(groupName, 'pending-review'),
      target: 'notify',
      inputPathsMap: { ...PACKAGE_FIELDS, report: '$.detail.ModelMetrics.ModelQuality.Statistics.S3Uri' },
      inputTemplate: JSON.stringify(
        [
          'Model package <arn> (version <version> of <group>) awaits review.',
          'Evaluation report: <report>.',
          'Compare it with the deployed model in the pull request comment or the run summary, then',
          'approve: npx mlops approve <arn> --target aws',
          '(or: aws sagemaker update-model-package --model-package-arn <arn> --model-approval-status Approved --approval-description "<why>")',
          'reject: npx mlops reject <arn> --target aws.',
          'Approving deploys exactly this package; rejecting the package that serves rolls back to the previous approved one.',
        ].join(' '),
      ),
    },
    dispatchRule(groupName, 'approved'),
    dispatchRule(groupName, 'rejected'),
  ];
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
    inputPathsMap: PACKAGE_FIELDS,
    // GitHub's POST /repos/{owner}/{repo}/dispatches body; client_payload reaches the workflow as
    // github.event.client_payload.
    inputTemplate: `{"event_type": "${DISPATCH_EVENT_TYPES[transition]}", "client_payload": {"model_package_arn": <arn>, "model_package_group": <group>, "event_id": <eventId>}}`,
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
