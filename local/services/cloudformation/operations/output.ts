import type {
  Capability,
  ChangeSetSummary,
  ResourceChange as SdkResourceChange,
  ResourceStatus,
  DescribeChangeSetOutput,
  Stack,
  StackEvent as SdkStackEvent,
  StackResource,
  StackResourceDetail,
  StackResourceSummary,
  StackSummary,
} from '@aws-sdk/client-cloudformation';

import type { ChangeSetRecord, ResourceChange, ResourceState, StackEvent, StackRecord } from '../model';
import { describedParameters } from '../template/parameters';
import { loadTemplate } from '../template/template';

const date = (timestamp: string | undefined) => (timestamp === undefined ? undefined : new Date(timestamp));

const NOT_CHECKED = { StackDriftStatus: 'NOT_CHECKED' } as const;
/** Resources report drift under their own member name (StackResourceDriftInformation). */
const RESOURCE_NOT_CHECKED = { StackResourceDriftStatus: 'NOT_CHECKED' } as const;

/** Parameters as DescribeStacks/DescribeChangeSet show them (NoEcho masked). */
function shownParameters(templateBody: string, parameters: StackRecord['parameters']) {
  if (!templateBody) return [...parameters];
  try {
    return describedParameters(loadTemplate(templateBody), parameters);
  } catch {
    return [...parameters];
  }
}

export function stackOutput(stack: StackRecord): Stack {
  return {
    StackId: stack.StackId,
    StackName: stack.StackName,
    ChangeSetId: stack.ChangeSetId,
    Description: stack.Description,
    Parameters: shownParameters(stack.templateBody, stack.parameters),
    CreationTime: date(stack.CreationTime),
    DeletionTime: date(stack.DeletionTime),
    LastUpdatedTime: date(stack.LastUpdatedTime),
    StackStatus: stack.StackStatus,
    StackStatusReason: stack.StackStatusReason,
    DisableRollback: stack.DisableRollback,
    NotificationARNs: [...stack.NotificationARNs],
    TimeoutInMinutes: stack.TimeoutInMinutes,
    Capabilities: capabilities(stack.Capabilities),
    Outputs: [...stack.outputs],
    RoleARN: stack.RoleARN,
    Tags: [...stack.Tags],
    EnableTerminationProtection: stack.EnableTerminationProtection,
    DriftInformation: NOT_CHECKED,
  };
}

export function stackSummary(stack: StackRecord): StackSummary {
  return {
    StackId: stack.StackId,
    StackName: stack.StackName,
    TemplateDescription: stack.Description,
    CreationTime: date(stack.CreationTime),
    LastUpdatedTime: date(stack.LastUpdatedTime),
    DeletionTime: date(stack.DeletionTime),
    StackStatus: stack.StackStatus,
    StackStatusReason: stack.StackStatusReason,
    DriftInformation: NOT_CHECKED,
  };
}

export function eventOutput(event: StackEvent): SdkStackEvent {
  // A stack's own rows carry its status (e.g. UPDATE_COMPLETE_CLEANUP_IN_PROGRESS), as AWS sends them.
  return {
    ...event,
    ResourceStatus: event.ResourceStatus as ResourceStatus,
    Timestamp: date(event.Timestamp),
  };
}

export function stackResource(stack: StackRecord, resource: ResourceState): StackResource {
  return {
    StackName: stack.StackName,
    StackId: stack.StackId,
    LogicalResourceId: resource.LogicalResourceId,
    PhysicalResourceId: resource.PhysicalResourceId,
    ResourceType: resource.ResourceType,
    Timestamp: date(resource.Timestamp),
    ResourceStatus: resource.ResourceStatus,
    ResourceStatusReason: resource.ResourceStatusReason,
    DriftInformation: RESOURCE_NOT_CHECKED,
  };
}

export function stackResourceDetail(stack: StackRecord, resource: ResourceState): StackResourceDetail {
  const { Timestamp, ...rest } = stackResource(stack, resource);
  return { ...rest, LastUpdatedTimestamp: Timestamp };
}

export function stackResourceSummary(resource: ResourceState): StackResourceSummary {
  return {
    LogicalResourceId: resource.LogicalResourceId,
    PhysicalResourceId: resource.PhysicalResourceId,
    ResourceType: resource.ResourceType,
    LastUpdatedTimestamp: date(resource.Timestamp),
    ResourceStatus: resource.ResourceStatus,
    ResourceStatusReason: resource.ResourceStatusReason,
    DriftInformation: RESOURCE_NOT_CHECKED,
  };
}

export function changeSetOutput(changeSet: ChangeSetRecord): DescribeChangeSetOutput {
  return {
    ChangeSetName: changeSet.ChangeSetName,
    ChangeSetId: changeSet.ChangeSetId,
    StackId: changeSet.StackId,
    StackName: changeSet.StackName,
    Description: changeSet.Description,
    Parameters: shownParameters(changeSet.templateBody, changeSet.parameters),
    CreationTime: date(changeSet.CreationTime),
    ExecutionStatus: changeSet.ExecutionStatus,
    Status: changeSet.Status,
    StatusReason: changeSet.StatusReason,
    NotificationARNs: [...changeSet.NotificationARNs],
    RollbackConfiguration: { ...changeSet.RollbackConfiguration, RollbackTriggers: [] },
    Capabilities: capabilities(changeSet.Capabilities),
    Tags: [...changeSet.Tags],
    Changes: changeSet.changes.map((change) => ({
      Type: 'Resource' as const,
      ResourceChange: resourceChange(change),
    })),
    IncludeNestedStacks: false,
  };
}

export function changeSetSummary(changeSet: ChangeSetRecord): ChangeSetSummary {
  return {
    StackId: changeSet.StackId,
    StackName: changeSet.StackName,
    ChangeSetId: changeSet.ChangeSetId,
    ChangeSetName: changeSet.ChangeSetName,
    ExecutionStatus: changeSet.ExecutionStatus,
    Status: changeSet.Status,
    StatusReason: changeSet.StatusReason,
    CreationTime: date(changeSet.CreationTime),
    Description: changeSet.Description,
    IncludeNestedStacks: false,
  };
}

/** Capabilities as stored: the ones the request gave, which the model's enum already checked. */
const capabilities = (given: readonly string[]) => [...given] as Capability[];

function resourceChange(change: ResourceChange): SdkResourceChange {
  return {
    ...change,
    Scope: [...change.Scope] as SdkResourceChange['Scope'],
    Details: change.Details.map((detail) => ({ ...detail, Target: { ...detail.Target } })),
  };
}
