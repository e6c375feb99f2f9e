import { isDeepStrictEqual } from 'node:util';

import { cfnValidationError } from './errors';
import type { ResourceState, StackOutput, StackRecord } from './model';
import { changedProperties, requiresReplacement } from './plan';
import type { PreparedTemplate } from './prepare';
import { now, type StackProgress } from './progress';
import { resourceContext } from './resource-context';
import { unsupportedTypeReason } from './resources';
import type { ResourceHandler, ResourceRequest } from './resources/types';
import { resolveValue, type IntrinsicContext } from './template/intrinsics';
import { dependencyOrder, resourceDependencies } from './template/references';
import { loadTemplate } from './template/template';
import type { Template } from './template/types';

/**
 * What a stack operation needs besides the stack: resource handlers, exports, a stop signal. When the local
 * AWS stops mid-operation the operation ends where it is, without rolling back (which would delete resources
 * on a Ctrl-C); the next start marks the stack failed (recovery.ts).
 */
export interface DeploymentEnv {
  readonly region: string;
  readonly accountId: string;
  readonly signal: AbortSignal;
  handler(type: string): ResourceHandler | undefined;
  /** The value another stack exports under this name. */
  importValue(exportName: string): string;
  /** The name of another stack that already exports this name, if any. */
  exportOwner(exportName: string, stackId: string): string | undefined;
}

/** A resource the operation changed, and how to undo it. */
interface Touched {
  readonly logicalId: string;
  readonly kind: 'created' | 'replaced' | 'updated';
  readonly before?: ResourceState;
  /** The properties the operation tried to apply. */
  readonly attempted: Readonly<Record<string, unknown>>;
}

interface ApplyResult {
  readonly failed: readonly string[];
  readonly touched: readonly Touched[];
}

const REPLACING = 'Requested update requires the creation of a new physical resource; hence creating one.';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Creates a stack's resources; on failure rolls back (deletes them) unless rollback is disabled. */
export async function runCreate(
  env: DeploymentEnv,
  progress: StackProgress,
  prepared: PreparedTemplate,
): Promise<void> {
  const { failed } = await applyTemplate(env, progress, prepared);
  if (env.signal.aborted) return;
  let failure =
    failed.length > 0 ? `The following resource(s) failed to create: [${failed.join(', ')}]. ` : undefined;
  if (!failure) {
    try {
      progress.update({ outputs: resolveOutputs(env, progress, prepared) });
      progress.status('CREATE_COMPLETE');
      return;
    } catch (error) {
      failure = message(error);
    }
  }
  if (progress.stack.DisableRollback) {
    progress.status('CREATE_FAILED', failure);
    return;
  }
  progress.status('ROLLBACK_IN_PROGRESS', `${failure}Rollback requested by user.`);
  const deleteFailed = await deleteResources(
    env,
    progress,
    prepared.template,
    Object.keys(progress.stack.resources),
  );
  if (deleteFailed.length > 0) {
    progress.status(
      'ROLLBACK_FAILED',
      `The following resource(s) failed to delete: [${deleteFailed.join(', ')}]. `,
    );
  } else progress.status('ROLLBACK_COMPLETE');
}

/**
 * Updates a stack: new and changed resources in dependency order, then cleanup of replaced and removed ones.
 * On failure every change is undone and the stack keeps its previous template, parameters and resources.
 */
export async function runUpdate(
  env: DeploymentEnv,
  progress: StackProgress,
  prepared: PreparedTemplate,
  next: Partial<StackRecord>,
): Promise<void> {
  const previousTemplate = loadTemplate(progress.stack.templateBody);
  const { failed, touched } = await applyTemplate(env, progress, prepared);
  if (env.signal.aborted) return;
  let failure =
    failed.length > 0 ? `The following resource(s) failed to update: [${failed.join(', ')}]. ` : undefined;
  if (!failure) {
    try {
      const outputs = resolveOutputs(env, progress, prepared);
      progress.update({ ...next, outputs });
      progress.status('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
      await deleteReplaced(env, progress, touched);
      const included = new Set(prepared.order);
      const removed = Object.keys(progress.stack.resources).filter((id) => !included.has(id));
      await deleteResources(env, progress, previousTemplate, removed);
      progress.status('UPDATE_COMPLETE');
      return;
    } catch (error) {
      failure = message(error);
    }
  }
  if (progress.stack.DisableRollback) {
    progress.status('UPDATE_FAILED', failure);
    return;
  }
  progress.status('UPDATE_ROLLBACK_IN_PROGRESS', failure);
  const { leftovers, failedReverts } = await revert(env, progress, touched);
  if (failedReverts.length > 0) {
    progress.status(
      'UPDATE_ROLLBACK_FAILED',
      `The following resource(s) failed to update: [${failedReverts.join(', ')}]. `,
    );
    return;
  }
  progress.status('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
  for (const { state, removeState } of leftovers) await deletePhysical(env, progress, state, { removeState });
  progress.status('UPDATE_ROLLBACK_COMPLETE');
}

/** Deletes every resource of the stack (DeletionPolicy Retain resources are kept). */
export async function runDelete(env: DeploymentEnv, progress: StackProgress): Promise<void> {
  const template = safeTemplate(progress.stack.templateBody);
  const failed = await deleteResources(env, progress, template, Object.keys(progress.stack.resources));
  if (failed.length > 0) {
    progress.status('DELETE_FAILED', `The following resource(s) failed to delete: [${failed.join(', ')}]. `);
    return;
  }
  progress.update({ DeletionTime: now() });
  progress.status('DELETE_COMPLETE');
}

function safeTemplate(body: string): Template | undefined {
  try {
    return loadTemplate(body);
  } catch {
    return undefined;
  }
}

function request(
  env: DeploymentEnv,
  progress: StackProgress,
  logicalId: string,
  properties: Readonly<Record<string, unknown>>,
): ResourceRequest {
  return {
    logicalId,
    stackName: progress.stack.StackName,
    stackId: progress.stack.StackId,
    region: env.region,
    accountId: env.accountId,
    properties,
    signal: env.signal,
  };
}

function contextFor(
  env: DeploymentEnv,
  progress: StackProgress,
  prepared: PreparedTemplate,
): IntrinsicContext {
  return resourceContext(prepared, {
    state: (id) => progress.resource(id),
    pending: () => false,
    handler: (type) => env.handler(type),
    importValue: (name) => env.importValue(name),
  });
}

/**
 * Runs each resource as soon as everything it depends on is done (independent resources in parallel, as
 * CloudFormation does). After the first failure nothing new starts; running work finishes.
 */
async function applyTemplate(
  env: DeploymentEnv,
  progress: StackProgress,
  prepared: PreparedTemplate,
): Promise<ApplyResult> {
  const ctx = contextFor(env, progress, prepared);
  const included = new Set(prepared.order);
  const waiting = new Set(prepared.order);
  const finished = new Set<string>();
  const failed: string[] = [];
  const touched: Touched[] = [];
  const running = new Map<string, Promise<void>>();
  const ready = (id: string) =>
    resourceDependencies(prepared.template, id).every(
      (dependency) => !included.has(dependency) || finished.has(dependency),
    );
  for (;;) {
    if (failed.length === 0) {
      for (const id of [...waiting].filter(ready)) {
        waiting.delete(id);
        const work = applyResource(env, progress, prepared, ctx, id, touched)
          .then(() => void finished.add(id))
          .catch(() => void failed.push(id))
          .finally(() => running.delete(id));
        running.set(id, work);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return { failed, touched };
}

async function applyResource(
  env: DeploymentEnv,
  progress: StackProgress,
  prepared: PreparedTemplate,
  ctx: IntrinsicContext,
  logicalId: string,
  touched: Touched[],
): Promise<void> {
  const declaration = prepared.template.Resources[logicalId]!;
  const type = declaration.Type;
  const before = progress.resource(logicalId)?.PhysicalResourceId ? progress.resource(logicalId) : undefined;
  const policies = {
    ...(declaration.DeletionPolicy ? { DeletionPolicy: declaration.DeletionPolicy } : {}),
    ...(declaration.UpdateReplacePolicy ? { UpdateReplacePolicy: declaration.UpdateReplacePolicy } : {}),
  };
  const fail = (status: string, error: unknown, state?: ResourceState): never => {
    const reason = message(error);
    const base: Omit<ResourceState, 'ResourceStatus' | 'Timestamp'> = state ?? {
      LogicalResourceId: logicalId,
      ResourceType: type,
      properties: {},
      attributes: {},
      ...policies,
    };
    progress.setResource(
      logicalId,
      { ...base, ResourceStatus: status, ResourceStatusReason: reason, Timestamp: now() },
      {
        type,
        status,
        physicalId: base.PhysicalResourceId,
        reason,
      },
    );
    throw error;
  };

  const handler = env.handler(type);
  let properties: Record<string, unknown>;
  try {
    if (!handler) throw new Error(unsupportedTypeReason(type));
    properties = resolveValue(declaration.Properties ?? {}, ctx) as Record<string, unknown>;
  } catch (error) {
    return fail(before ? 'UPDATE_FAILED' : 'CREATE_FAILED', error, before);
  }

  const complete = (
    status: string,
    physicalId: string,
    attributes: Readonly<Record<string, unknown>>,
  ): ResourceState => {
    const state: ResourceState = {
      LogicalResourceId: logicalId,
      ResourceType: type,
      PhysicalResourceId: physicalId,
      ResourceStatus: status,
      Timestamp: now(),
      properties,
      attributes,
      ...policies,
    };
    progress.setResource(logicalId, state, { type, status, physicalId, properties });
    return state;
  };

  if (!before) {
    progress.setResource(
      logicalId,
      {
        LogicalResourceId: logicalId,
        ResourceType: type,
        ResourceStatus: 'CREATE_IN_PROGRESS',
        Timestamp: now(),
        properties: {},
        attributes: {},
        ...policies,
      },
      { type, status: 'CREATE_IN_PROGRESS', properties },
    );
    try {
      const result = await handler.create(request(env, progress, logicalId, properties));
      touched.push({ logicalId, kind: 'created', attempted: properties });
      complete('CREATE_COMPLETE', result.physicalId, result.attributes);
    } catch (error) {
      fail('CREATE_FAILED', error);
    }
    return;
  }

  const changed = before.ResourceType === type ? changedProperties(before.properties, properties) : ['Type'];
  if (changed.length === 0) {
    if (
      !isDeepStrictEqual(policies, {
        DeletionPolicy: before.DeletionPolicy,
        UpdateReplacePolicy: before.UpdateReplacePolicy,
      })
    ) {
      const { DeletionPolicy: _d, UpdateReplacePolicy: _u, ...rest } = before;
      void _d;
      void _u;
      progress.update({ resources: { ...progress.stack.resources, [logicalId]: { ...rest, ...policies } } });
    }
    return;
  }
  const replace = changed.includes('Type') || changed.some((name) => requiresReplacement(handler, name));
  const inProgress = { ...before, ResourceStatus: 'UPDATE_IN_PROGRESS', Timestamp: now() };
  progress.setResource(logicalId, inProgress, {
    type,
    status: 'UPDATE_IN_PROGRESS',
    physicalId: before.PhysicalResourceId,
    ...(replace ? { reason: REPLACING } : {}),
    properties,
  });
  try {
    if (replace) {
      const result = await handler.create(request(env, progress, logicalId, properties));
      touched.push({ logicalId, kind: 'replaced', before, attempted: properties });
      complete('UPDATE_COMPLETE', result.physicalId, result.attributes);
    } else {
      touched.push({ logicalId, kind: 'updated', before, attempted: properties });
      const result = await handler.update({
        ...request(env, progress, logicalId, properties),
        physicalId: before.PhysicalResourceId!,
        previous: before.properties,
        attributes: before.attributes,
      });
      complete('UPDATE_COMPLETE', result.physicalId, result.attributes);
    }
  } catch (error) {
    fail('UPDATE_FAILED', error, before);
  }
}

function resolveOutputs(
  env: DeploymentEnv,
  progress: StackProgress,
  prepared: PreparedTemplate,
): StackOutput[] {
  const ctx = contextFor(env, progress, prepared);
  const outputs: StackOutput[] = [];
  for (const [key, output] of Object.entries(prepared.template.Outputs)) {
    if (output.Condition !== undefined && !prepared.conditions[output.Condition]) continue;
    const value = resolveValue(output.Value, ctx);
    const description = output.Description === undefined ? undefined : resolveValue(output.Description, ctx);
    const exportName =
      output.Export === undefined ? undefined : String(resolveValue(output.Export.Name, ctx));
    if (exportName !== undefined) {
      const owner = env.exportOwner(exportName, progress.stack.StackId);
      if (owner)
        throw cfnValidationError(`Export with name ${exportName} is already exported by stack ${owner}`);
    }
    outputs.push({
      OutputKey: key,
      OutputValue: Array.isArray(value) ? value.join(',') : String(value),
      ...(description === undefined ? {} : { Description: String(description) }),
      ...(exportName === undefined ? {} : { ExportName: exportName }),
    });
  }
  return outputs;
}

/** A physical resource an undone update leaves behind; resources the update added leave the stack too. */
interface Leftover {
  readonly state: ResourceState;
  readonly removeState: boolean;
}

/** Undoes an update's changes, newest first; returns what is left to delete (new physical resources). */
async function revert(
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
async function deleteReplaced(
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
async function deletePhysical(
  env: DeploymentEnv,
  progress: StackProgress,
  state: ResourceState,
  options: { removeState: boolean },
): Promise<boolean> {
  const event = { type: state.ResourceType, physicalId: state.PhysicalResourceId };
  const handler = env.handler(state.ResourceType);
  const record = (status: string, reason?: string) => {
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
async function deleteResources(
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
