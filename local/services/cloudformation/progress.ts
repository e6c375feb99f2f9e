import { randomUUID } from 'node:crypto';

import type { CloudFormationRepository } from './repository';
import { STACK_RESOURCE_TYPE, type ResourceState, type StackRecord } from './model';

/**
 * The one writer of a stack during an operation: every status change is saved and becomes a stack event,
 * so DescribeStacks / DescribeStackEvents / DescribeStackResources always show where the operation is.
 */
export class StackProgress {
  constructor(
    private readonly repo: CloudFormationRepository,
    private current: StackRecord,
    private readonly clientRequestToken?: string,
  ) {}

  get stack(): StackRecord {
    return this.current;
  }

  resource(logicalId: string): ResourceState | undefined {
    return this.current.resources[logicalId];
  }

  update(changes: Partial<StackRecord>): void {
    this.current = this.repo.putStack({ ...this.current, ...changes });
  }

  /** Sets the stack status (and its reason, cleared when absent) and records the stack event. */
  status(status: string, reason?: string): void {
    const { StackStatusReason: _previous, ...rest } = this.current;
    void _previous;
    this.current = this.repo.putStack({
      ...rest,
      StackStatus: status,
      ...(reason ? { StackStatusReason: reason } : {}),
    });
    this.event({
      LogicalResourceId: this.current.StackName,
      PhysicalResourceId: this.current.StackId,
      ResourceType: STACK_RESOURCE_TYPE,
      ResourceStatus: status,
      ...(reason ? { ResourceStatusReason: reason } : {}),
    });
  }

  /** Stores a resource's new state (or removes it) and records the resource event. */
  setResource(logicalId: string, state: ResourceState | undefined, event: ResourceEvent): void {
    const resources = { ...this.current.resources };
    if (state) resources[logicalId] = state;
    else delete resources[logicalId];
    this.current = this.repo.putStack({ ...this.current, resources });
    this.resourceEvent(logicalId, event);
  }

  /** Records a resource event without changing the resource (e.g. deleting a replaced physical resource). */
  resourceEvent(logicalId: string, event: ResourceEvent): void {
    this.event({
      LogicalResourceId: logicalId,
      ResourceType: event.type,
      ResourceStatus: event.status,
      ...(event.physicalId ? { PhysicalResourceId: event.physicalId } : {}),
      ...(event.reason ? { ResourceStatusReason: event.reason } : {}),
      ...(event.properties === undefined ? {} : { ResourceProperties: JSON.stringify(event.properties) }),
    });
  }

  private event(fields: {
    LogicalResourceId: string;
    ResourceType: string;
    ResourceStatus: string;
    PhysicalResourceId?: string;
    ResourceStatusReason?: string;
    ResourceProperties?: string;
  }): void {
    this.repo.addEvent({
      StackId: this.current.StackId,
      StackName: this.current.StackName,
      EventId: randomUUID(),
      Timestamp: new Date().toISOString(),
      ...(this.clientRequestToken ? { ClientRequestToken: this.clientRequestToken } : {}),
      ...fields,
    });
  }
}

export interface ResourceEvent {
  readonly type: string;
  readonly status: string;
  readonly physicalId?: string | undefined;
  readonly reason?: string | undefined;
  readonly properties?: unknown;
}

export const now = () => new Date().toISOString();
