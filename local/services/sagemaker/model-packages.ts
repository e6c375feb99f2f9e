import type {
  CreateModelPackageGroupInput,
  CreateModelPackageInput,
  ListModelPackageGroupsInput,
  ListModelPackagesInput,
  ModelApprovalStatus,
  ModelPackageStatusDetails,
  UpdateModelPackageInput,
  UserContext,
} from '@aws-sdk/client-sagemaker';

import { validationError } from '../../core/errors';
import type { CallerIdentity } from '../../core/caller';
import type { Page } from '../../core/pagination';
import type { Validated } from '../../core/validated';
import type { StateStore } from '../../state/store';
import { epochSeconds } from '../../engine/execution-record';
import { resourceArn, type ArnContext } from './arns';
import { SAGEMAKER_NAME, checkGroupName } from './input';
import { filterByNameAndCreationTime, listNamed, listPage } from './pagination';
import { optional } from '../../core/optional';
import type { TagStore } from './tags';

export interface GroupRecord {
  readonly ModelPackageGroupName: string;
  readonly ModelPackageGroupArn: string;
  readonly ModelPackageGroupDescription?: string;
  readonly CreationTime: number;
  readonly CreatedBy: UserContext;
  readonly ModelPackageGroupStatus: 'Completed';
}

/** A package as stored: its CreateModelPackage request (less tags), updates, and what the service adds. */
export type PackageRecord = Omit<Validated<CreateModelPackageInput>, 'Tags'> &
  Pick<Validated<UpdateModelPackageInput>, 'ApprovalDescription'> & {
    readonly ModelPackageName: string;
    readonly ModelPackageArn: string;
    readonly ModelPackageVersion?: number;
    readonly ModelApprovalStatus: ModelApprovalStatus;
    readonly CreationTime: number;
    readonly LastModifiedTime: number;
    readonly ModelPackageStatus: 'Completed';
    readonly ModelPackageStatusDetails: ModelPackageStatusDetails;
    readonly CreatedBy: UserContext;
    readonly LastModifiedBy?: UserContext;
  };

const GROUPS = 'sagemaker/model-package-groups';
const PACKAGES = 'sagemaker/model-packages';
const APPROVAL_STATUSES: readonly string[] = ['Approved', 'Rejected', 'PendingManualApproval'];

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

  createGroup(input: Validated<CreateModelPackageGroupInput>): GroupRecord {
    const name = checkGroupName(input.ModelPackageGroupName);
    const arn = resourceArn(this.arns, 'model-package-group', name);
    if (this.findGroup(name)) throw validationError(`Model Package Group already exists: ${arn}`);
    const record: GroupRecord = {
      ModelPackageGroupName: name,
      ModelPackageGroupArn: arn,
      ...optional('ModelPackageGroupDescription', input.ModelPackageGroupDescription),
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

  describeGroup(nameOrArn: string): GroupRecord {
    const group = this.findGroup(nameOrArn);
    if (!group) throw validationError(`ModelPackageGroup ${nameOrArn} does not exist.`);
    return group;
  }

  /** DeleteModelPackageGroup: only an empty group can go. */
  deleteGroup(nameOrArn: string): GroupRecord {
    const group = this.describeGroup(nameOrArn);
    if (this.packagesOf(group.ModelPackageGroupName).length > 0) {
      throw validationError(
        `Model Package Group ${group.ModelPackageGroupName} still has model packages; delete them first`,
      );
    }
    this.store.delete(GROUPS, group.ModelPackageGroupName.toLowerCase());
    return group;
  }

  /** CreateModelPackage. `createGroup` makes the group when missing (what a pipeline's RegisterModel step does). */
  createPackage(input: Validated<CreateModelPackageInput>, options: PackageWriteOptions = {}): PackageRecord {
    const approval = input.ModelApprovalStatus ?? 'PendingManualApproval';
    if (!APPROVAL_STATUSES.includes(approval)) {
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
    input: Validated<CreateModelPackageInput>,
    approval: ModelApprovalStatus,
    caller: CallerIdentity | undefined,
  ): PackageRecord {
    const name = input.ModelPackageName;
    if (typeof name !== 'string' || !SAGEMAKER_NAME.test(name)) {
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
    input: Validated<CreateModelPackageInput>,
    caller: CallerIdentity | undefined,
    identity: Pick<PackageRecord, 'ModelPackageName' | 'ModelPackageArn' | 'ModelApprovalStatus'> &
      Partial<Pick<PackageRecord, 'ModelPackageGroupName' | 'ModelPackageVersion'>>,
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
  describePackage(nameOrArn: string): PackageRecord {
    const key = nameOrArn.startsWith('arn:') ? nameOrArn : resourceArn(this.arns, 'model-package', nameOrArn);
    const record = this.store.get<PackageRecord>(PACKAGES, key);
    if (!record) throw validationError(`ModelPackage ${nameOrArn} does not exist.`);
    return record;
  }

  deletePackage(nameOrArn: string): PackageRecord {
    const record = this.describePackage(nameOrArn);
    this.store.delete(PACKAGES, record.ModelPackageArn);
    return record;
  }

  updatePackage(input: Validated<UpdateModelPackageInput>, caller?: CallerIdentity): PackageRecord {
    const record = this.describePackage(input.ModelPackageArn);
    const approval = input.ModelApprovalStatus;
    if (approval !== undefined && !APPROVAL_STATUSES.includes(approval)) {
      throw validationError(
        `ModelApprovalStatus ${JSON.stringify(approval)} is not valid; expected one of ${APPROVAL_STATUSES.join(', ')}`,
      );
    }
    const properties = { ...record.CustomerMetadataProperties, ...input.CustomerMetadataProperties };
    for (const key of input.CustomerMetadataPropertiesToRemove ?? []) delete properties[key];
    const updates = {
      ...optional('ModelApprovalStatus', input.ModelApprovalStatus),
      ...optional('ApprovalDescription', input.ApprovalDescription),
      ...optional('InferenceSpecification', input.InferenceSpecification),
      ...optional('SourceUri', input.SourceUri),
      ...optional('ModelCard', input.ModelCard),
      ...optional('ModelLifeCycle', input.ModelLifeCycle),
    };
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

  listGroups(input: Validated<ListModelPackageGroupsInput>): Page<GroupRecord> {
    return listNamed(this.store.list<GroupRecord>(GROUPS), input, {
      nameMember: 'ModelPackageGroupName',
      defaultOrder: 'Ascending',
    });
  }

  /** ListModelPackages: by group, approval status, name and type; CreationTime ascending unless told otherwise, as on AWS. */
  listPackages(input: Validated<ListModelPackagesInput>): Page<PackageRecord> {
    const group = input.ModelPackageGroupName && lastPart(input.ModelPackageGroupName).toLowerCase();
    const type = input.ModelPackageType ?? (group ? 'Versioned' : 'Both');
    const packages = filterByNameAndCreationTime(
      this.store.list<PackageRecord>(PACKAGES),
      input,
      (pkg) => pkg.ModelPackageName,
    )
      .filter((pkg) => !group || pkg.ModelPackageGroupName?.toLowerCase() === group)
      .filter((pkg) => !input.ModelApprovalStatus || pkg.ModelApprovalStatus === input.ModelApprovalStatus)
      .filter((pkg) => type === 'Both' || (type === 'Versioned') === (pkg.ModelPackageVersion !== undefined));
    return listPage(packages, input, {
      sortKeys: { Name: 'ModelPackageName', CreationTime: 'CreationTime' },
      defaultSortBy: 'CreationTime',
      defaultOrder: 'Ascending',
      // Packages registered within the same instant keep their version order.
      sortValue: (pkg, member) =>
        member === 'CreationTime' ? pkg.CreationTime * 1e6 + (pkg.ModelPackageVersion ?? 0) : pkg[member],
    });
  }
}

/** SageMaker's UserContext: the IAM identity that signed the call; empty for the pipeline's own calls. */
function userContext(caller: CallerIdentity | undefined): UserContext {
  return caller ? { IamIdentity: { Arn: caller.Arn, PrincipalId: caller.PrincipalId } } : {};
}

function lastPart(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
}
