import { validationError } from '../../core/errors';
import type { CallerIdentity } from '../../core/caller';
import type { OperationHandler } from '../../core/service';
import type { StateStore } from '../../state/store';
import { epochSeconds } from '../../engine/execution-record';
import { resourceArn, type ArnContext } from './arns';
import { createdBetween, listPage } from './pagination';
import type { TagStore } from './tags';

export type GroupRecord = Record<string, unknown> & {
  ModelPackageGroupName: string;
  ModelPackageGroupArn: string;
  CreationTime: number;
};

export type PackageRecord = Record<string, unknown> & {
  ModelPackageName: string;
  ModelPackageArn: string;
  ModelPackageGroupName?: string;
  ModelPackageVersion?: number;
  ModelApprovalStatus?: string;
  CreationTime: number;
};

const GROUPS = 'sagemaker/model-package-groups';
const PACKAGES = 'sagemaker/model-packages';
const GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const APPROVAL_STATUSES = ['Approved', 'Rejected', 'PendingManualApproval'];

interface PackageWriteOptions {
  /** Make the group when missing (what a pipeline's RegisterModel step does). */
  readonly createGroup?: boolean;
  /** Who registers it (CreatedBy). */
  readonly caller?: CallerIdentity;
}

/** The model registry: model package groups and their versioned packages (plus unversioned packages). */
export class ModelPackageService {
  constructor(
    private readonly store: StateStore,
    private readonly arns: ArnContext,
    private readonly tags: TagStore,
    /** Told of every created or updated package (the registry's state-change events). */
    private readonly changed: (record: PackageRecord) => void = () => undefined,
  ) {}

  createGroup(input: Record<string, unknown>): GroupRecord {
    const name = input.ModelPackageGroupName;
    if (typeof name !== 'string' || !GROUP_NAME.test(name)) {
      throw validationError(
        `ModelPackageGroupName ${JSON.stringify(name)} is not valid; expected 1-63 letters, digits and hyphens matching ${GROUP_NAME.source}`,
      );
    }
    const arn = resourceArn(this.arns, 'model-package-group', name);
    if (this.findGroup(name)) throw validationError(`Model Package Group already exists: ${arn}`);
    const record: GroupRecord = {
      ModelPackageGroupName: name,
      ModelPackageGroupArn: arn,
      ...(typeof input.ModelPackageGroupDescription === 'string'
        ? { ModelPackageGroupDescription: input.ModelPackageGroupDescription }
        : {}),
      CreationTime: epochSeconds(),
      CreatedBy: {},
      ModelPackageGroupStatus: 'Completed',
    };
    this.store.put(GROUPS, name.toLowerCase(), record);
    this.tags.add(arn, input.Tags);
    return record;
  }

  findGroup(nameOrArn: string): GroupRecord | undefined {
    return this.store.get<GroupRecord>(GROUPS, lastPart(nameOrArn).toLowerCase());
  }

  describeGroup(nameOrArn: unknown): GroupRecord {
    const group = typeof nameOrArn === 'string' ? this.findGroup(nameOrArn) : undefined;
    if (!group) throw validationError(`ModelPackageGroup ${String(nameOrArn)} does not exist.`);
    return group;
  }

  /** CreateModelPackage. `createGroup` makes the group when missing (what a pipeline's RegisterModel step does). */
  createPackage(input: Record<string, unknown>, options: PackageWriteOptions = {}): PackageRecord {
    const approval = input.ModelApprovalStatus ?? 'PendingManualApproval';
    if (typeof approval !== 'string' || !APPROVAL_STATUSES.includes(approval)) {
      throw validationError(
        `ModelApprovalStatus ${JSON.stringify(approval)} is not valid; expected one of ${APPROVAL_STATUSES.join(', ')}`,
      );
    }
    const groupName = input.ModelPackageGroupName;
    if (typeof groupName !== 'string') return this.createUnversioned(input, approval, options.caller);
    const group =
      this.findGroup(groupName) ??
      (options.createGroup ? this.createGroup({ ModelPackageGroupName: lastPart(groupName) }) : undefined);
    if (!group) throw validationError(`Model Package Group ${groupName} does not exist.`);
    if (typeof input.ClientToken === 'string') {
      const earlier = this.packagesOf(group.ModelPackageGroupName).find(
        (pkg) => pkg.ClientToken === input.ClientToken,
      );
      if (earlier) return earlier;
    }
    const version =
      Math.max(
        0,
        ...this.packagesOf(group.ModelPackageGroupName).map((pkg) => pkg.ModelPackageVersion ?? 0),
      ) + 1;
    return this.savePackage(input, options.caller, {
      ModelPackageName: group.ModelPackageGroupName,
      ModelPackageGroupName: group.ModelPackageGroupName,
      ModelPackageVersion: version,
      ModelPackageArn: resourceArn(this.arns, 'model-package', `${group.ModelPackageGroupName}/${version}`),
      ModelApprovalStatus: approval,
    });
  }

  private createUnversioned(
    input: Record<string, unknown>,
    approval: string,
    caller: CallerIdentity | undefined,
  ): PackageRecord {
    const name = input.ModelPackageName;
    if (typeof name !== 'string' || !GROUP_NAME.test(name)) {
      throw validationError(
        'CreateModelPackage needs ModelPackageGroupName (versioned) or a valid ModelPackageName (unversioned)',
      );
    }
    const arn = resourceArn(this.arns, 'model-package', name);
    if (this.store.get(PACKAGES, arn)) throw validationError(`Model Package already exists: ${arn}`);
    return this.savePackage(input, caller, {
      ModelPackageName: name,
      ModelPackageArn: arn,
      ModelApprovalStatus: approval,
    });
  }

  private savePackage(
    input: Record<string, unknown>,
    caller: CallerIdentity | undefined,
    identity: Partial<PackageRecord> & { ModelPackageName: string; ModelPackageArn: string },
  ): PackageRecord {
    const { Tags: tags, ...rest } = input;
    const now = epochSeconds();
    const record: PackageRecord = {
      ...rest,
      ...identity,
      CreationTime: now,
      LastModifiedTime: now,
      ModelPackageStatus: 'Completed',
      ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
      CreatedBy: userContext(caller),
    };
    this.store.put(PACKAGES, record.ModelPackageArn, record);
    this.tags.add(record.ModelPackageArn, tags);
    this.changed(record);
    return record;
  }

  /** A package by ARN, or an unversioned package by name. */
  describePackage(nameOrArn: unknown): PackageRecord {
    const key =
      typeof nameOrArn === 'string'
        ? nameOrArn.startsWith('arn:')
          ? nameOrArn
          : resourceArn(this.arns, 'model-package', nameOrArn)
        : '';
    const record = key ? this.store.get<PackageRecord>(PACKAGES, key) : undefined;
    if (!record) throw validationError(`ModelPackage ${String(nameOrArn)} does not exist.`);
    return record;
  }

  updatePackage(input: Record<string, unknown>, caller?: CallerIdentity): PackageRecord {
    const record = this.describePackage(input.ModelPackageArn);
    const approval = input.ModelApprovalStatus;
    if (approval !== undefined && (typeof approval !== 'string' || !APPROVAL_STATUSES.includes(approval))) {
      throw validationError(
        `ModelApprovalStatus ${JSON.stringify(approval)} is not valid; expected one of ${APPROVAL_STATUSES.join(', ')}`,
      );
    }
    const properties = {
      ...(record.CustomerMetadataProperties as Record<string, string> | undefined),
      ...(input.CustomerMetadataProperties as Record<string, string> | undefined),
    };
    for (const key of (input.CustomerMetadataPropertiesToRemove as string[] | undefined) ?? [])
      delete properties[key];
    const updates = Object.fromEntries(
      [
        'ModelApprovalStatus',
        'ApprovalDescription',
        'InferenceSpecification',
        'SourceUri',
        'ModelCard',
        'ModelLifeCycle',
      ]
        .filter((member) => input[member] !== undefined)
        .map((member) => [member, input[member]]),
    );
    const updated: PackageRecord = {
      ...record,
      ...updates,
      ...(Object.keys(properties).length > 0 ? { CustomerMetadataProperties: properties } : {}),
      LastModifiedTime: epochSeconds(),
      LastModifiedBy: userContext(caller),
    };
    this.store.put(PACKAGES, updated.ModelPackageArn, updated);
    this.changed(updated);
    return updated;
  }

  private packagesOf(groupName: string): PackageRecord[] {
    return this.store
      .list<PackageRecord>(PACKAGES)
      .filter((pkg) => pkg.ModelPackageGroupName?.toLowerCase() === groupName.toLowerCase());
  }

  operations(): Record<string, OperationHandler> {
    return {
      CreateModelPackageGroup: (input) => ({
        ModelPackageGroupArn: this.createGroup(input).ModelPackageGroupArn,
      }),
      DescribeModelPackageGroup: (input) => this.describeGroup(input.ModelPackageGroupName),
      DeleteModelPackageGroup: (input) => {
        const group = this.describeGroup(input.ModelPackageGroupName);
        if (this.packagesOf(group.ModelPackageGroupName).length > 0) {
          throw validationError(
            `Model Package Group ${group.ModelPackageGroupName} still has model packages; delete them first`,
          );
        }
        this.store.delete(GROUPS, group.ModelPackageGroupName.toLowerCase());
        return {};
      },
      ListModelPackageGroups: (input) => this.listGroups(input),
      CreateModelPackage: (input, ctx) => ({
        ModelPackageArn: this.createPackage(input, { ...(ctx.caller ? { caller: ctx.caller } : {}) })
          .ModelPackageArn,
      }),
      DescribeModelPackage: (input) => {
        const { ClientToken: _token, ...record } = this.describePackage(input.ModelPackageName);
        return record;
      },
      UpdateModelPackage: (input, ctx) => ({
        ModelPackageArn: this.updatePackage(input, ctx.caller).ModelPackageArn,
      }),
      DeleteModelPackage: (input) => {
        const record = this.describePackage(input.ModelPackageName);
        this.store.delete(PACKAGES, record.ModelPackageArn);
        return {};
      },
      ListModelPackages: (input) => this.listPackages(input),
    };
  }

  private listGroups(input: Record<string, unknown>): Record<string, unknown> {
    const contains = typeof input.NameContains === 'string' ? input.NameContains.toLowerCase() : undefined;
    const groups = this.store
      .list<GroupRecord>(GROUPS)
      .filter((group) => !contains || group.ModelPackageGroupName.toLowerCase().includes(contains));
    const page = listPage(groups, input, {
      sortKeys: { Name: 'ModelPackageGroupName', CreationTime: 'CreationTime' },
      defaultSortBy: 'CreationTime',
      defaultOrder: 'Ascending',
    });
    return {
      ModelPackageGroupSummaryList: page.items.map((group) =>
        pick(group, [
          'ModelPackageGroupName',
          'ModelPackageGroupArn',
          'ModelPackageGroupDescription',
          'CreationTime',
          'ModelPackageGroupStatus',
        ]),
      ),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  /** ListModelPackages: by group, approval status, name and type; CreationTime ascending unless told otherwise, as on AWS. */
  private listPackages(input: Record<string, unknown>): Record<string, unknown> {
    const group =
      typeof input.ModelPackageGroupName === 'string'
        ? lastPart(input.ModelPackageGroupName).toLowerCase()
        : undefined;
    const contains = typeof input.NameContains === 'string' ? input.NameContains.toLowerCase() : undefined;
    const type = input.ModelPackageType ?? (group ? 'Versioned' : 'Both');
    const packages = this.store
      .list<PackageRecord>(PACKAGES)
      .filter((pkg) => !group || pkg.ModelPackageGroupName?.toLowerCase() === group)
      .filter((pkg) => !input.ModelApprovalStatus || pkg.ModelApprovalStatus === input.ModelApprovalStatus)
      .filter((pkg) => !contains || pkg.ModelPackageName.toLowerCase().includes(contains))
      .filter((pkg) => type === 'Both' || (type === 'Versioned') === (pkg.ModelPackageVersion !== undefined))
      .filter((pkg) => createdBetween(pkg.CreationTime, input.CreationTimeAfter, input.CreationTimeBefore));
    const page = listPage(packages, input, {
      sortKeys: { Name: 'ModelPackageName', CreationTime: 'CreationTime' },
      defaultSortBy: 'CreationTime',
      defaultOrder: 'Ascending',
      // Packages registered within the same instant keep their version order.
      sortValue: (pkg, member) =>
        member === 'CreationTime' ? pkg.CreationTime * 1e6 + (pkg.ModelPackageVersion ?? 0) : pkg[member],
    });
    return {
      ModelPackageSummaryList: page.items.map((pkg) =>
        pick(pkg, [
          'ModelPackageName',
          'ModelPackageGroupName',
          'ModelPackageVersion',
          'ModelPackageArn',
          'ModelPackageDescription',
          'CreationTime',
          'ModelPackageStatus',
          'ModelApprovalStatus',
        ]),
      ),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }
}

/** SageMaker's UserContext: the IAM identity that signed the call; empty for the pipeline's own calls. */
function userContext(caller: CallerIdentity | undefined): Record<string, unknown> {
  return caller ? { IamIdentity: { Arn: caller.Arn, PrincipalId: caller.PrincipalId } } : {};
}

function lastPart(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
}

function pick(record: Record<string, unknown>, members: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    members.filter((member) => record[member] !== undefined).map((member) => [member, record[member]]),
  );
}
