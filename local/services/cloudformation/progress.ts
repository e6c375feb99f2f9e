import type { StackStatus } from '@aws-sdk/client-cloudformation';
import { randomUUID } from 'node:crypto';

import type { CloudFormationRepository } from './repository';
import {
  STACK_RESOURCE_TYPE,
  type CreatedResource,
  type ResourceState,
  type StackOperation,
  type StackRecord,
} from './model';

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

  /** Starts journaling a create or update (what exists now is what a rollback returns to). */
  beginOperation(kind: StackOperation['kind'], order: readonly string[]): void {
    this.update({ operation: { kind, before: this.current.resources, order, created: [], updated: [] } });
  }

  /** Journals a physical resource the moment it exists, so no crash can leave it unknown to the stack. */
  recordCreated(created: CreatedResource): void {
    const operation = this.current.operation;
    if (!operation || operation.created.some((entry) => entry.physicalId === created.physicalId)) return;
    this.update({ operation: { ...operation, created: [...operation.created, created] } });
  }

  /** Journals an in-place update before it is attempted. */
  recordUpdating(logicalId: string, properties: Record<string, unknown>): void {
    const operation = this.current.operation;
    if (!operation) return;
    this.update({ operation: { ...operation, updated: [...operation.updated, { logicalId, properties }] } });
  }

  /** The operation reached a final status: nothing is left to undo. */
  endOperation(): void {
    const { operation: _operation, ...rest } = this.current;
    void _operation;
    this.current = this.repo.putStack(rest);
  }

  /** Sets the stack status (and its reason, cleared when absent) and records the stack event. */
  status(status: StackStatus, reason?: string): void {
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
