import type {
  CreateModelPackageGroupInput,
  CreateModelPackageGroupOutput,
  CreateModelPackageInput,
  CreateModelPackageOutput,
  DeleteModelPackageGroupInput,
  DeleteModelPackageInput,
  DescribeModelPackageGroupInput,
  DescribeModelPackageGroupOutput,
  DescribeModelPackageInput,
  DescribeModelPackageOutput,
  ListModelPackageGroupsInput,
  ListModelPackageGroupsOutput,
  ListModelPackagesInput,
  ListModelPackagesOutput,
  ModelPackageGroupSummary,
  ModelPackageSummary,
  UpdateModelPackageInput,
  UpdateModelPackageOutput,
} from '@aws-sdk/client-sagemaker';

import { dateOf } from '../../../core/dates';
import { operation } from '../../../core/operations';
import { optional } from '../../../core/optional';
import type { OperationHandler } from '../../../core/service';
import type { Validated } from '../../../core/validated';
import type { SageMakerServices } from '../index';
import type { GroupRecord, PackageRecord } from '../model-packages';
import { pageMembers } from '../pagination';

/** The model registry: model package groups and their versioned packages (plus unversioned packages). */
export function modelPackageOperations({
  modelPackages,
}: Pick<SageMakerServices, 'modelPackages'>): Record<string, OperationHandler> {
  return {
    CreateModelPackageGroup: operation<
      Validated<CreateModelPackageGroupInput>,
      CreateModelPackageGroupOutput
    >((input) => ({ ModelPackageGroupArn: modelPackages.createGroup(input).ModelPackageGroupArn })),
    DescribeModelPackageGroup: operation<
      Validated<DescribeModelPackageGroupInput>,
      DescribeModelPackageGroupOutput
    >((input) => describeGroup(modelPackages.describeGroup(input.ModelPackageGroupName))),
    DeleteModelPackageGroup: operation<Validated<DeleteModelPackageGroupInput>, Record<string, never>>(
      (input) => {
        modelPackages.deleteGroup(input.ModelPackageGroupName);
        return {};
      },
    ),
    ListModelPackageGroups: operation<Validated<ListModelPackageGroupsInput>, ListModelPackageGroupsOutput>(
      (input) => {
        const page = modelPackages.listGroups(input);
        return pageMembers('ModelPackageGroupSummaryList', { ...page, items: page.items.map(groupSummary) });
      },
    ),
    CreateModelPackage: operation<Validated<CreateModelPackageInput>, CreateModelPackageOutput>(
      (input, ctx) => ({
        ModelPackageArn: modelPackages.createPackage(input, { ...optional('caller', ctx.caller) })
          .ModelPackageArn,
      }),
    ),
    DescribeModelPackage: operation<Validated<DescribeModelPackageInput>, DescribeModelPackageOutput>(
      (input) => describePackage(modelPackages.describePackage(input.ModelPackageName)),
    ),
    UpdateModelPackage: operation<Validated<UpdateModelPackageInput>, UpdateModelPackageOutput>(
      (input, ctx) => ({
        ModelPackageArn: modelPackages.updatePackage(input, ctx.caller).ModelPackageArn,
      }),
    ),
    DeleteModelPackage: operation<Validated<DeleteModelPackageInput>, Record<string, never>>((input) => {
      modelPackages.deletePackage(input.ModelPackageName);
      return {};
    }),
    ListModelPackages: operation<Validated<ListModelPackagesInput>, ListModelPackagesOutput>((input) => {
      const page = modelPackages.listPackages(input);
      return pageMembers('ModelPackageSummaryList', { ...page, items: page.items.map(packageSummary) });
    }),
  };
}

function describeGroup(group: GroupRecord): DescribeModelPackageGroupOutput {
  return { ...group, CreationTime: dateOf(group.CreationTime) };
}

function groupSummary(group: GroupRecord): ModelPackageGroupSummary {
  return {
    ModelPackageGroupName: group.ModelPackageGroupName,
    ModelPackageGroupArn: group.ModelPackageGroupArn,
    ...optional('ModelPackageGroupDescription', group.ModelPackageGroupDescription),
    CreationTime: dateOf(group.CreationTime),
    ModelPackageGroupStatus: group.ModelPackageGroupStatus,
  };
}

function describePackage(record: PackageRecord): DescribeModelPackageOutput {
  const { ClientToken: _token, ...described } = record;
  return {
    ...described,
    CreationTime: dateOf(record.CreationTime),
    LastModifiedTime: dateOf(record.LastModifiedTime),
  };
}

function packageSummary(pkg: PackageRecord): ModelPackageSummary {
  return {
    ModelPackageName: pkg.ModelPackageName,
    ...optional('ModelPackageGroupName', pkg.ModelPackageGroupName),
    ...optional('ModelPackageVersion', pkg.ModelPackageVersion),
    ModelPackageArn: pkg.ModelPackageArn,
    ...optional('ModelPackageDescription', pkg.ModelPackageDescription),
    CreationTime: dateOf(pkg.CreationTime),
    ModelPackageStatus: pkg.ModelPackageStatus,
    ModelApprovalStatus: pkg.ModelApprovalStatus,
  };
}
