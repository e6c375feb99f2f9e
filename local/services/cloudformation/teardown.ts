import type { ResourceStatus } from '@aws-sdk/client-cloudformation';
import { message, request, type DeploymentEnv, type Touched } from './deployment-env';
import type { ResourceState } from './model';
import { now, type StackProgress } from './progress';
import { dependencyOrder } from './template/references';
import type { Template } from './template/types';

/** A physical resource an undone update leaves behind; resources the update added leave the stack too. */
export interface Leftover {
  readonly state: ResourceState;
  readonly removeState: boolean;
}

/** Undoes an update's changes, newest first; returns what is left to delete (new physical resources). */
export async function revert(
  env: DeploymentEnv,
  progress: StackProgress,
  touched: readonly Touched[],
): Promise<{ leftovers: Leftover[]; failedReverts: string[] }> {
  const leftovers: Leftover[] = [];
  const failedReverts: string[] = [];
  for (const change of [...touched].reverse()) {
    const current = progress.resource(change.logicalId);
    if (change.kind === 'created') {
      if (current?.PhysicalResourceId) leftovers.push({ state: current, removeState: true });
      continue;
    }
    const before = change.before!;
    if (change.kind === 'replaced') {
      if (current?.PhysicalResourceId && current.PhysicalResourceId !== before.PhysicalResourceId) {
        leftovers.push({ state: current, removeState: false });
      }
      progress.setResource(
        change.logicalId,
        { ...before, ResourceStatus: 'UPDATE_COMPLETE', Timestamp: now() },
        {
          type: before.ResourceType,
          status: 'UPDATE_COMPLETE',
          physicalId: before.PhysicalResourceId,
        },
      );
      continue;
    }
    const handler = env.handler(before.ResourceType)!;
    progress.setResource(
      change.logicalId,
      { ...before, ResourceStatus: 'UPDATE_IN_PROGRESS', Timestamp: now() },
      {
        type: before.ResourceType,
        status: 'UPDATE_IN_PROGRESS',
        physicalId: before.PhysicalResourceId,
      },
    );
    try {
      const result = await handler.update({
        ...request(env, progress, change.logicalId, before.properties),
        physicalId: before.PhysicalResourceId!,
        previous: change.attempted,
        attributes: before.attributes,
      });
      progress.setResource(
        change.logicalId,
        { ...before, attributes: result.attributes, ResourceStatus: 'UPDATE_COMPLETE', Timestamp: now() },
        {
          type: before.ResourceType,
          status: 'UPDATE_COMPLETE',
          physicalId: before.PhysicalResourceId,
        },
      );
    } catch (error) {
      failedReverts.push(change.logicalId);
      progress.setResource(
        change.logicalId,
        {
          ...before,
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason: message(error),
          Timestamp: now(),
        },
        {
          type: before.ResourceType,
          status: 'UPDATE_FAILED',
          physicalId: before.PhysicalResourceId,
          reason: message(error),
        },
      );
    }
  }
  return { leftovers, failedReverts };
}

/** After a successful update: the physical resources that replacements superseded. */
export async function deleteReplaced(
  env: DeploymentEnv,
  progress: StackProgress,
  touched: readonly Touched[],
): Promise<void> {
  for (const change of [...touched].reverse()) {
    if (change.kind !== 'replaced' || !change.before) continue;
    if (change.before.UpdateReplacePolicy === 'Retain') {
      progress.resourceEvent(change.logicalId, {
        type: change.before.ResourceType,
        status: 'DELETE_SKIPPED',
        physicalId: change.before.PhysicalResourceId,
      });
      continue;
    }
    await deletePhysical(env, progress, change.before, { removeState: false });
  }
}

/** Deletes one physical resource with its events; `removeState` also drops the logical resource. */
export async function deletePhysical(
  env: DeploymentEnv,
  progress: StackProgress,
  state: ResourceState,
  options: { removeState: boolean },
): Promise<boolean> {
  const event = { type: state.ResourceType, physicalId: state.PhysicalResourceId };
  const handler = env.handler(state.ResourceType);
  const record = (status: ResourceStatus, reason?: string) => {
    const full = { ...event, status, ...(reason ? { reason } : {}) };
    if (!options.removeState) progress.resourceEvent(state.LogicalResourceId, full);
    else if (status === 'DELETE_COMPLETE') progress.setResource(state.LogicalResourceId, undefined, full);
    else {
      const next = {
        ...state,
        ResourceStatus: status,
        Timestamp: now(),
        ...(reason ? { ResourceStatusReason: reason } : {}),
      };
      progress.setResource(state.LogicalResourceId, next, full);
    }
  };
  if (!state.PhysicalResourceId || !handler) {
    record('DELETE_COMPLETE');
    return true;
  }
  record('DELETE_IN_PROGRESS');
  try {
    await handler.delete({
      ...request(env, progress, state.LogicalResourceId, state.properties),
      physicalId: state.PhysicalResourceId,
      attributes: state.attributes,
    });
    record('DELETE_COMPLETE');
    return true;
  } catch (error) {
    record('DELETE_FAILED', message(error));
    return false;
  }
}

/** Deletes logical resources, dependents first; returns those that failed to delete. */
export async function deleteResources(
  env: DeploymentEnv,
  progress: StackProgress,
  template: Template | undefined,
  logicalIds: readonly string[],
): Promise<string[]> {
  const inTemplate = template ? logicalIds.filter((id) => id in template.Resources) : [];
  const order = [
    ...logicalIds.filter((id) => !inTemplate.includes(id)),
    ...(template ? dependencyOrder(template, inTemplate).reverse() : []),
  ];
  const failed: string[] = [];
  for (const logicalId of order) {
    const state = progress.resource(logicalId);
    if (!state) continue;
    if (state.DeletionPolicy === 'Retain' && state.PhysicalResourceId) {
      progress.setResource(logicalId, undefined, {
        type: state.ResourceType,
        status: 'DELETE_SKIPPED',
        physicalId: state.PhysicalResourceId,
      });
      continue;
    }
    if (!(await deletePhysical(env, progress, state, { removeState: true }))) failed.push(logicalId);
  }
  return failed;
}
