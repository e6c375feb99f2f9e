import type { ChangeSetRecord, ResourceState, StackEvent, StackRecord } from '../model';
import { describedParameters } from '../template/parameters';
import { loadTemplate } from '../template/template';

const date = (timestamp: string | undefined) => (timestamp === undefined ? undefined : new Date(timestamp));

const NOT_CHECKED = { StackDriftStatus: 'NOT_CHECKED' };
/** Resources report drift under their own member name (StackResourceDriftInformation). */
const RESOURCE_NOT_CHECKED = { StackResourceDriftStatus: 'NOT_CHECKED' };

/** Parameters as DescribeStacks/DescribeChangeSet show them (NoEcho masked). */
function shownParameters(templateBody: string, parameters: StackRecord['parameters']) {
  if (!templateBody) return [...parameters];
  try {
    return describedParameters(loadTemplate(templateBody), parameters);
  } catch {
    return [...parameters];
  }
}

export function stackOutput(stack: StackRecord) {
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
    NotificationARNs: stack.NotificationARNs,
    TimeoutInMinutes: stack.TimeoutInMinutes,
    Capabilities: stack.Capabilities,
    Outputs: stack.outputs,
    RoleARN: stack.RoleARN,
    Tags: stack.Tags,
    EnableTerminationProtection: stack.EnableTerminationProtection,
    DriftInformation: NOT_CHECKED,
  };
}

export function stackSummary(stack: StackRecord) {
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

export function eventOutput(event: StackEvent) {
  return { ...event, Timestamp: date(event.Timestamp) };
}

export function stackResource(stack: StackRecord, resource: ResourceState) {
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

export function stackResourceDetail(stack: StackRecord, resource: ResourceState) {
  const { Timestamp, ...rest } = stackResource(stack, resource);
  return { ...rest, LastUpdatedTimestamp: Timestamp };
}

export function stackResourceSummary(resource: ResourceState) {
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

export function changeSetOutput(changeSet: ChangeSetRecord) {
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
    NotificationARNs: changeSet.NotificationARNs,
    RollbackConfiguration: changeSet.RollbackConfiguration ?? { RollbackTriggers: [] },
    Capabilities: changeSet.Capabilities,
    Tags: changeSet.Tags,
    Changes: changeSet.changes.map((change) => ({ Type: 'Resource', ResourceChange: change })),
    IncludeNestedStacks: false,
  };
}

export function changeSetSummary(changeSet: ChangeSetRecord) {
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
