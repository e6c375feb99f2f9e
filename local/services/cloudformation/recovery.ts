import type { ResourceStatus, StackStatus } from '@aws-sdk/client-cloudformation';
import { isDeepStrictEqual } from 'node:util';

import { runDelete } from './deployment';
import { message, request, type DeploymentEnv } from './deployment-env';
import type { ChangeSetRecord, CreatedResource, ResourceState, StackOperation } from './model';
import { now, StackProgress } from './progress';
import type { CloudFormationRepository } from './repository';
import { deletePhysical } from './teardown';

/** Where an operation interrupted by a stop of the local AWS ends when it left no journal (older state). */
const INTERRUPTED: Readonly<Partial<Record<StackStatus, StackStatus>>> = {
  CREATE_IN_PROGRESS: 'CREATE_FAILED',
  ROLLBACK_IN_PROGRESS: 'ROLLBACK_FAILED',
  UPDATE_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_COMPLETE',
  UPDATE_ROLLBACK_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_ROLLBACK_COMPLETE',
  DELETE_IN_PROGRESS: 'DELETE_FAILED',
};

const CHANGE_SET_INTERRUPTED: Readonly<Record<string, Partial<ChangeSetRecord>>> = {
  CREATE_PENDING: { Status: 'FAILED' },
  CREATE_IN_PROGRESS: { Status: 'FAILED' },
};

export const INTERRUPTED_REASON = 'The local AWS stopped during this operation';

/** Runs recovery work in the background (the provider's runner), so the server answers meanwhile. */
export type RunInBackground = (task: () => Promise<void>) => void;

/**
 * At start: stacks a previous process left in progress (it was stopped or killed) are finished as AWS
 * finishes a failed operation, from the journal each create or update keeps (StackOperation): an
 * interrupted create rolls back and deletes every physical resource it made; an interrupted update puts
 * updated resources back (an endpoint back on its old config, serving) and deletes what it made; an
 * interrupted cleanup or delete is completed. Change sets in progress fail.
 */
export function recoverInterrupted(
  repo: CloudFormationRepository,
  env: DeploymentEnv,
  background: RunInBackground,
): void {
  for (const stack of repo.allStacks()) {
    const progress = new StackProgress(repo, stack);
    const resume = resumption(env, progress);
    if (resume) background(resume);
    else if (INTERRUPTED[stack.StackStatus]) finish(progress, INTERRUPTED[stack.StackStatus]!);
  }
  for (const changeSet of repo.allChangeSets()) {
    const status = CHANGE_SET_INTERRUPTED[changeSet.Status];
    if (status) repo.putChangeSet({ ...changeSet, ...status, StatusReason: INTERRUPTED_REASON });
    else if (changeSet.ExecutionStatus === 'EXECUTE_IN_PROGRESS')
      repo.putChangeSet({ ...changeSet, ExecutionStatus: 'EXECUTE_FAILED' });
  }
}

/** The work that ends an interrupted operation, or undefined when the stack needs none (or has no journal). */
function resumption(env: DeploymentEnv, progress: StackProgress): (() => Promise<void>) | undefined {
  const { StackStatus: status, operation } = progress.stack;
  if (status === 'DELETE_IN_PROGRESS') return () => runDelete(env, progress);
  if (!operation) return undefined;
  if (status === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')
    return () => completeCleanup(env, progress, operation);
  if (status === 'CREATE_IN_PROGRESS' || status === 'ROLLBACK_IN_PROGRESS') {
    if (progress.stack.DisableRollback && status === 'CREATE_IN_PROGRESS')
      return async () => keepFailed(progress, operation, 'CREATE_FAILED');
    return () => rollBack(env, progress, operation, { running: 'ROLLBACK_IN_PROGRESS', done: 'ROLLBACK' });
  }
  if (status.startsWith('UPDATE_')) {
    if (progress.stack.DisableRollback && status === 'UPDATE_IN_PROGRESS')
      return async () => keepFailed(progress, operation, 'UPDATE_FAILED');
    return () =>
      rollBack(env, progress, operation, { running: 'UPDATE_ROLLBACK_IN_PROGRESS', done: 'UPDATE_ROLLBACK' });
  }
  return undefined;
}

function finish(progress: StackProgress, status: StackStatus): void {
  progress.status(status, status.endsWith('_FAILED') ? INTERRUPTED_REASON : undefined);
}

/** Rollback disabled: the stack keeps what was made, each resource with its physical id for delete-stack. */
function keepFailed(progress: StackProgress, operation: StackOperation, status: StackStatus): void {
  const resources = { ...progress.stack.resources };
  for (const made of operation.created) {
    const state = resources[made.logicalId];
    if (!state?.PhysicalResourceId) resources[made.logicalId] = stateOf(made, 'CREATE_FAILED');
  }
  progress.update({ resources });
  progress.endOperation();
  finish(progress, status);
}

/**
 * Undoes an interrupted create or update: resources updated in place get their old properties back
 * (dependents first), every physical resource the operation made is deleted (dependents first), and the
 * stack's resources are what they were before. A resource that cannot be undone stays on the stack with
 * its physical id, and the stack ends *_FAILED, so delete-stack or the next deploy can still reach it.
 */
async function rollBack(
  env: DeploymentEnv,
  progress: StackProgress,
  operation: StackOperation,
  statuses: { readonly running: StackStatus; readonly done: 'ROLLBACK' | 'UPDATE_ROLLBACK' },
): Promise<void> {
  progress.status(statuses.running, INTERRUPTED_REASON);
  const rank = (logicalId: string) => operation.order.indexOf(logicalId);
  const dependentsFirst = <T extends { readonly logicalId: string }>(items: readonly T[]) =>
    [...items].sort((a, b) => rank(b.logicalId) - rank(a.logicalId));
  const failed: string[] = [];

  for (const { logicalId, properties } of dependentsFirst(updatedInPlace(progress, operation))) {
    if (!(await restore(env, progress, operation.before[logicalId]!, properties))) failed.push(logicalId);
  }
  if (env.signal.aborted) return;
  const keptIds = new Set(Object.values(operation.before).map((state) => state.PhysicalResourceId));
  const leftovers: ResourceState[] = [];
  for (const made of dependentsFirst(madeByOperation(progress, operation))) {
    if (keptIds.has(made.physicalId)) continue;
    const state = stateOf(made, 'UPDATE_IN_PROGRESS');
    if (!(await deletePhysical(env, progress, state, { removeState: false }))) leftovers.push(state);
  }
  if (env.signal.aborted) return;
  const resources: Record<string, ResourceState> = { ...operation.before };
  for (const state of leftovers)
    resources[state.LogicalResourceId] ??= { ...state, ResourceStatus: 'DELETE_FAILED' };
  progress.update({ resources });
  progress.endOperation();
  const unfinished = [...failed, ...leftovers.map((state) => state.LogicalResourceId)];
  if (unfinished.length > 0)
    progress.status(
      `${statuses.done}_FAILED`,
      `The following resource(s) failed to roll back: [${unfinished.join(', ')}]. `,
    );
  else progress.status(`${statuses.done}_COMPLETE`);
}

/** Resources the operation changed in place (same physical id as before, other properties or journaled). */
function updatedInPlace(
  progress: StackProgress,
  operation: StackOperation,
): { logicalId: string; properties: Readonly<Record<string, unknown>> }[] {
  return Object.values(operation.before).flatMap((before) => {
    const logicalId = before.LogicalResourceId;
    const current = progress.resource(logicalId);
    const journaled = operation.updated.filter((entry) => entry.logicalId === logicalId).pop();
    if (!current || !before.PhysicalResourceId || current.PhysicalResourceId !== before.PhysicalResourceId)
      return [];
    if (journaled) return [{ logicalId, properties: journaled.properties }];
    return isDeepStrictEqual(current.properties, before.properties)
      ? []
      : [{ logicalId, properties: current.properties }];
  });
}

/** Every physical resource the operation made: journaled ones and any on the stack that was not there before. */
function madeByOperation(progress: StackProgress, operation: StackOperation): CreatedResource[] {
  const made = [...operation.created];
  for (const state of Object.values(progress.stack.resources)) {
    const id = state.PhysicalResourceId;
    if (id && !made.some((entry) => entry.physicalId === id))
      made.push({
        logicalId: state.LogicalResourceId,
        type: state.ResourceType,
        physicalId: id,
        attributes: state.attributes,
        properties: state.properties,
      });
  }
  return made;
}

/** Puts an updated resource back to its properties before the operation; false when that fails. */
async function restore(
  env: DeploymentEnv,
  progress: StackProgress,
  before: ResourceState,
  applied: Readonly<Record<string, unknown>>,
): Promise<boolean> {
  const event = { type: before.ResourceType, physicalId: before.PhysicalResourceId };
  const handler = env.handler(before.ResourceType);
  progress.resourceEvent(before.LogicalResourceId, { ...event, status: 'UPDATE_IN_PROGRESS' });
  try {
    await handler?.update({
      ...request(env, progress, before.LogicalResourceId, before.properties),
      physicalId: before.PhysicalResourceId!,
      previous: applied,
      attributes: before.attributes,
    });
    progress.resourceEvent(before.LogicalResourceId, { ...event, status: 'UPDATE_COMPLETE' });
    return true;
  } catch (error) {
    progress.resourceEvent(before.LogicalResourceId, {
      ...event,
      status: 'UPDATE_FAILED',
      reason: message(error),
    });
    return false;
  }
}

/** The update had succeeded: deletes the physical resources it superseded or removed (Retain kept). */
async function completeCleanup(
  env: DeploymentEnv,
  progress: StackProgress,
  operation: StackOperation,
): Promise<void> {
  const current = new Set(Object.values(progress.stack.resources).map((state) => state.PhysicalResourceId));
  const superseded = Object.values(operation.before).filter(
    (state) => state.PhysicalResourceId && !current.has(state.PhysicalResourceId),
  );
  const rank = (state: ResourceState) => operation.order.indexOf(state.LogicalResourceId);
  for (const state of superseded.sort((a, b) => rank(b) - rank(a))) {
    const retained = state.DeletionPolicy === 'Retain' || state.UpdateReplacePolicy === 'Retain';
    if (!retained) await deletePhysical(env, progress, state, { removeState: false });
  }
  if (env.signal.aborted) return;
  progress.endOperation();
  progress.status('UPDATE_COMPLETE');
}

function stateOf(made: CreatedResource, status: ResourceStatus): ResourceState {
  return {
    LogicalResourceId: made.logicalId,
    ResourceType: made.type,
    PhysicalResourceId: made.physicalId,
    ResourceStatus: status,
    Timestamp: now(),
    properties: made.properties,
    attributes: made.attributes,
  };
}
