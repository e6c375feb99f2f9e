import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  type ModelPackageSummary,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';

export interface ApprovedModelPackage {
  readonly arn: string;
  readonly groupName: string;
  readonly version?: number;
  readonly creationTime?: Date;
  readonly modelDataUrl?: string;
  readonly imageUri?: string;
  readonly description?: string;
}

/** No package of the group is Approved: says what exists and how to approve one. */
export class NoApprovedModelError extends Error {
  override readonly name = 'NoApprovedModelError';
}

/**
 * The newest Approved model package of a group: ListModelPackages with ModelApprovalStatus=Approved,
 * SortBy=CreationTime and SortOrder=Descending set explicitly (the service's default order is Ascending,
 * which would pick the oldest). Deploy gates use it so an unapproved or rejected package never ships.
 */
export async function findApprovedModelPackage(
  sagemaker: SageMakerClient,
  groupName: string,
): Promise<ApprovedModelPackage> {
  const newestApproved = await newestPackage(sagemaker, groupName, true);
  if (!newestApproved?.ModelPackageArn)
    throw new NoApprovedModelError(await noneApprovedMessage(sagemaker, groupName));
  const described = await sagemaker.send(
    new DescribeModelPackageCommand({ ModelPackageName: newestApproved.ModelPackageArn }),
  );
  const container = described.InferenceSpecification?.Containers?.[0];
  return {
    arn: newestApproved.ModelPackageArn,
    groupName,
    ...(newestApproved.ModelPackageVersion !== undefined
      ? { version: newestApproved.ModelPackageVersion }
      : {}),
    ...(newestApproved.CreationTime ? { creationTime: newestApproved.CreationTime } : {}),
    ...(container?.ModelDataUrl ? { modelDataUrl: container.ModelDataUrl } : {}),
    ...(container?.Image ? { imageUri: container.Image } : {}),
    ...(described.ModelPackageDescription ? { description: described.ModelPackageDescription } : {}),
  };
}

async function newestPackage(
  sagemaker: SageMakerClient,
  groupName: string,
  approvedOnly: boolean,
): Promise<ModelPackageSummary | undefined> {
  const { ModelPackageSummaryList } = await sagemaker.send(
    new ListModelPackagesCommand({
      ModelPackageGroupName: groupName,
      ...(approvedOnly ? { ModelApprovalStatus: 'Approved' } : {}),
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    }),
  );
  return ModelPackageSummaryList?.[0];
}

async function noneApprovedMessage(sagemaker: SageMakerClient, groupName: string): Promise<string> {
  const newest = await newestPackage(sagemaker, groupName, false);
  if (!newest?.ModelPackageArn) {
    return `model package group ${groupName} has no model packages; run the pipeline first (its RegisterModel step creates them)`;
  }
  const arn = newest.ModelPackageArn;
  return [
    `model package group ${groupName} has no Approved model package; the newest, ${arn}, is ${newest.ModelApprovalStatus ?? 'not approved'}.`,
    `Approve it with \`npx mlops approve ${arn}\` or`,
    `\`aws sagemaker update-model-package --model-package-arn ${arn} --model-approval-status Approved\`.`,
  ].join(' ');
}
