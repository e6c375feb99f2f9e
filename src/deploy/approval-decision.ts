import {
  DescribeModelPackageCommand,
  type DescribeModelPackageCommandOutput,
  type SageMakerClient,
  type UserContext,
} from '@aws-sdk/client-sagemaker';

import { optional } from '../../local/core/optional';
import { findApprovedModelPackage, NoApprovedModelError } from './approved-model';

/** What a registry decision asks of the deploy: `approved` deploys that package, `rejected` rolls back. */
export type ApprovalEvent = 'approved' | 'rejected';

/** The package a deploy ships, with who approved it and why (for the summary and the endpoint's tags). */
export interface ApprovedForDeploy {
  readonly arn: string;
  readonly groupName: string;
  readonly approvedBy: string;
  readonly approvalDescription: string;
  /** The pipeline execution that registered it (the pipeline records it in CustomerMetadataProperties). */
  readonly pipelineExecutionArn?: string;
}

export type ApprovalDecision =
  | { readonly kind: 'deploy'; readonly package: ApprovedForDeploy; readonly reason: string }
  | { readonly kind: 'no-op'; readonly reason: string };

/** A package that is not in the group, or not Approved when an approval asks to deploy it. */
export class ApprovalCheckError extends Error {
  override readonly name = 'ApprovalCheckError';
}

export interface ApprovalDecisionOptions {
  readonly event: ApprovalEvent;
  readonly modelPackageArn: string;
  readonly groupName: string;
  /** The package the endpoint serves now (servingModelPackage), if any. */
  readonly servingArn: string | undefined;
}

/**
 * Decides what one approval or rejection does. Approved: deploy exactly that package — it must belong to
 * the group and still be Approved — unless it already serves (EventBridge may deliver an event twice:
 * a no-op). Rejected: only the package now serving matters; the endpoint goes back to the newest package
 * still Approved.
 */
export async function decideApprovalDeploy(
  sagemaker: SageMakerClient,
  options: ApprovalDecisionOptions,
): Promise<ApprovalDecision> {
  const described = await sagemaker.send(
    new DescribeModelPackageCommand({ ModelPackageName: options.modelPackageArn }),
  );
  const arn = described.ModelPackageArn ?? options.modelPackageArn;
  if (described.ModelPackageGroupName?.toLowerCase() !== options.groupName.toLowerCase()) {
    throw new ApprovalCheckError(
      `model package ${arn} belongs to ${described.ModelPackageGroupName ?? 'no group'}, not to ${options.groupName}; this deploy only ships packages of ${options.groupName}`,
    );
  }
  const status = described.ModelApprovalStatus ?? 'PendingManualApproval';
  if (options.event === 'approved') {
    if (status !== 'Approved') {
      throw new ApprovalCheckError(
        `model package ${arn} is ${status}, not Approved; approve it first (npx mlops approve ${arn})`,
      );
    }
    if (options.servingArn === arn)
      return {
        kind: 'no-op',
        reason: `${arn} already serves; nothing to deploy (a repeated approval event)`,
      };
    return {
      kind: 'deploy',
      reason: `${arn} was approved`,
      package: forDeploy(described, options.groupName),
    };
  }
  if (status !== 'Rejected')
    return { kind: 'no-op', reason: `${arn} is ${status} again; nothing to roll back` };
  if (options.servingArn !== arn) {
    return {
      kind: 'no-op',
      reason: `${arn} was rejected but does not serve (${options.servingArn ? `${options.servingArn} does` : 'nothing is deployed'}); nothing to roll back`,
    };
  }
  return rollBack(sagemaker, { rejectedArn: arn, groupName: options.groupName });
}

async function rollBack(
  sagemaker: SageMakerClient,
  options: { rejectedArn: string; groupName: string },
): Promise<ApprovalDecision> {
  try {
    const previous = await findApprovedModelPackage(sagemaker, options.groupName);
    const described = await sagemaker.send(
      new DescribeModelPackageCommand({ ModelPackageName: previous.arn }),
    );
    return {
      kind: 'deploy',
      reason: `${options.rejectedArn} was rejected while serving; rolling back to ${previous.arn}, the newest Approved package`,
      package: forDeploy(described, options.groupName),
    };
  } catch (error) {
    if (!(error instanceof NoApprovedModelError)) throw error;
    throw new ApprovalCheckError(
      `${options.rejectedArn} was rejected while serving, and ${options.groupName} has no other Approved package to roll back to; the endpoint keeps serving it until you approve another package or delete the endpoint stack`,
    );
  }
}

function forDeploy(described: DescribeModelPackageCommandOutput, groupName: string): ApprovedForDeploy {
  return {
    arn: described.ModelPackageArn ?? '',
    groupName,
    approvedBy: approverOf(described),
    approvalDescription: described.ApprovalDescription ?? '',
    ...optional('pipelineExecutionArn', described.CustomerMetadataProperties?.PipelineExecutionArn),
  };
}

const UNKNOWN_APPROVER = 'unknown (the registry did not record who)';

/** Who set the package's status; a package registered as Approved was never modified: its creator. */
export function approverOf(
  described: Pick<DescribeModelPackageCommandOutput, 'LastModifiedBy' | 'CreatedBy'>,
): string {
  return approver(described.LastModifiedBy) ?? approver(described.CreatedBy) ?? UNKNOWN_APPROVER;
}

/** Who changed the package: the IAM identity, else the Studio user profile. */
function approver(user: UserContext | undefined): string | undefined {
  return user?.IamIdentity?.Arn ?? user?.UserProfileName;
}

const TAG_VALUE = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;

/** The endpoint stack tags that record a registry decision. */
export const APPROVAL_TAG_KEYS = {
  arn: 'mlops:model-package-arn',
  approvedBy: 'mlops:approved-by',
  description: 'mlops:approval-description',
} as const;

/** Who approved the package a deploy ships, and why, as its stack tags record it. */
export interface ApprovalRecord {
  readonly modelPackageArn?: string;
  readonly approvedBy: string;
  readonly approvalDescription: string;
}

/** The decision the stack tags record (approvalTags), if they record one. */
export function approvalFromTags(tags: Readonly<Record<string, string>>): ApprovalRecord | undefined {
  const approvedBy = tags[APPROVAL_TAG_KEYS.approvedBy];
  if (approvedBy === undefined) return undefined;
  const arn = tags[APPROVAL_TAG_KEYS.arn];
  return {
    ...(arn !== undefined ? { modelPackageArn: arn } : {}),
    approvedBy,
    approvalDescription: tags[APPROVAL_TAG_KEYS.description] ?? '',
  };
}

/**
 * The endpoint stack's tags recording the decision (CloudFormation passes stack tags on to the endpoint):
 * tag values allow only letters, digits, spaces and `_ . : / = + - @`, at most 256 characters.
 */
export function approvalTags(approved: ApprovedForDeploy): Record<string, string> {
  const value = (text: string) => text.replace(TAG_VALUE, ' ').slice(0, 256).trim() || '-';
  return {
    [APPROVAL_TAG_KEYS.arn]: value(approved.arn),
    [APPROVAL_TAG_KEYS.approvedBy]: value(approved.approvedBy),
    [APPROVAL_TAG_KEYS.description]: value(approved.approvalDescription),
  };
}
