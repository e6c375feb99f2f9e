import type {
  ChangeSetStatus,
  ExecutionStatus,
  ResourceStatus,
  StackStatus,
} from '@aws-sdk/client-cloudformation';

import type { StackParameter } from './template/parameters';

/** Timestamps are kept as ISO-8601 strings in the records and turned into Dates for responses. */
export type Timestamp = string;

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** One resource of a stack as last deployed. */
export interface ResourceState {
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceStatus: ResourceStatus;
  readonly ResourceStatusReason?: string;
  readonly Timestamp: Timestamp;
  /** Resolved properties the resource was created or last updated with. */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Fn::GetAtt values. */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface StackOutput {
  readonly OutputKey: string;
  readonly OutputValue: string;
  readonly Description?: string;
  readonly ExportName?: string;
}

export interface StackRecord {
  readonly StackId: string;
  readonly StackName: string;
  readonly Description?: string;
  readonly CreationTime: Timestamp;
  readonly LastUpdatedTime?: Timestamp;
  readonly DeletionTime?: Timestamp;
  readonly StackStatus: StackStatus;
  readonly StackStatusReason?: string;
  readonly DisableRollback: boolean;
  readonly Capabilities: readonly string[];
  readonly NotificationARNs: readonly string[];
  readonly Tags: readonly Tag[];
  readonly RoleARN?: string;
  readonly TimeoutInMinutes?: number;
  readonly EnableTerminationProtection: boolean;
  readonly ChangeSetId?: string;
  readonly templateBody: string;
  readonly parameters: readonly StackParameter[];
  readonly resources: Readonly<Record<string, ResourceState>>;
  readonly outputs: readonly StackOutput[];
  /** The create or update in progress, journaled so a restart can undo it (recovery.ts). */
  readonly operation?: StackOperation;
}

/**
 * What a running create or update has done so far, saved as it happens: a process killed at any point
 * leaves enough to delete every physical resource it made and put updated ones back.
 */
export interface StackOperation {
  readonly kind: 'create' | 'update';
  /** The stack's resources before the operation (none for a create). */
  readonly before: Readonly<Record<string, ResourceState>>;
  /** The operation's logical ids, dependencies first. */
  readonly order: readonly string[];
  /** Physical resources the operation made, recorded as soon as each exists (before any wait). */
  readonly created: readonly CreatedResource[];
  /** Resources updated in place, with the properties applied (recorded before the call). */
  readonly updated: readonly { readonly logicalId: string; readonly properties: Record<string, unknown> }[];
}

export interface CreatedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface ResourceChangeDetail {
  readonly Target: {
    readonly Attribute: 'Properties';
    readonly Name: string;
    readonly RequiresRecreation: 'Always' | 'Never';
  };
  readonly Evaluation: 'Static' | 'Dynamic';
  readonly ChangeSource: 'DirectModification' | 'ResourceReference' | 'ParameterReference';
  readonly CausingEntity?: string;
}

export interface ResourceChange {
  readonly Action: 'Add' | 'Modify' | 'Remove';
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceType: string;
  readonly Replacement?: 'True' | 'False' | 'Conditional';
  readonly Scope: readonly string[];
  readonly Details: readonly ResourceChangeDetail[];
}

/** Rollback triggers are CloudWatch alarms, which the local AWS does not run: only the monitoring time is kept. */
export interface RollbackConfiguration {
  readonly RollbackTriggers: readonly never[];
  readonly MonitoringTimeInMinutes?: number;
}

export interface ChangeSetRecord {
  readonly ChangeSetId: string;
  readonly ChangeSetName: string;
  readonly ChangeSetType: 'CREATE' | 'UPDATE';
  readonly StackId: string;
  readonly StackName: string;
  readonly Description?: string;
  readonly CreationTime: Timestamp;
  readonly ExecutionStatus: ExecutionStatus;
  readonly Status: ChangeSetStatus;
  readonly StatusReason?: string;
  readonly Capabilities: readonly string[];
  readonly NotificationARNs: readonly string[];
  readonly Tags: readonly Tag[];
  readonly RoleARN?: string;
  readonly RollbackConfiguration?: RollbackConfiguration;
  readonly templateBody: string;
  /** As the caller gave them; resolved again when the change set runs. */
  readonly parameterInputs: readonly {
    ParameterKey?: string;
    ParameterValue?: string;
    UsePreviousValue?: boolean;
  }[];
  readonly parameters: readonly StackParameter[];
  readonly changes: readonly ResourceChange[];
}

export interface StackEvent {
  readonly StackId: string;
  readonly EventId: string;
  readonly StackName: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceType: string;
  readonly Timestamp: Timestamp;
  readonly ResourceStatus: string;
  readonly ResourceStatusReason?: string;
  readonly ResourceProperties?: string;
  readonly ClientRequestToken?: string;
}

/** Statuses in which a stack accepts no new operation. */
export const isInProgress = (status: string) =>
  status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';

export const STACK_RESOURCE_TYPE = 'AWS::CloudFormation::Stack';
