import type { ResourceStatus } from '@aws-sdk/client-cloudformation';
import { isDeepStrictEqual } from 'node:util';

import {
  contextFor,
  message,
  request,
  type ApplyResult,
  type DeploymentEnv,
  type Touched,
} from './deployment-env';
import type { ResourceState } from './model';
import { changedProperties, requiresReplacement } from './plan';
import type { PreparedTemplate } from './prepare';
import { now, type StackProgress } from './progress';
import { unsupportedTypeReason } from './resources';
import type { ResourceHandler, ResourceRequest, ResourceResult } from './resources/types';
import { resolveValue, type IntrinsicContext } from './template/intrinsics';
import { resourceDependencies } from './template/references';

const REPLACING = 'Requested update requires the creation of a new physical resource; hence creating one.';

/**
 * Runs each resource as soon as everything it depends on is done (independent resources in parallel, as
 * CloudFormation does). After the first failure nothing new starts; running work finishes.
 */
export async function applyTemplate(
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

/** One resource of a deployment: its declaration, resolved properties and what it was before. */
interface ResourceStep {
  readonly env: DeploymentEnv;
  readonly progress: StackProgress;
  readonly logicalId: string;
  readonly type: string;
  readonly handler: ResourceHandler;
  readonly properties: Record<string, unknown>;
  readonly policies: Pick<ResourceState, 'DeletionPolicy' | 'UpdateReplacePolicy'>;
  readonly touched: Touched[];
}

/** Creates, replaces, updates or keeps one resource; throws (after recording the failure) when it fails. */
async function applyResource(
  env: DeploymentEnv,
  progress: StackProgress,
  prepared: PreparedTemplate,
  ctx: IntrinsicContext,
  logicalId: string,
  touched: Touched[],
): Promise<void> {
  const declaration = prepared.template.Resources[logicalId]!;
  const current = progress.resource(logicalId);
  const before = current?.PhysicalResourceId ? current : undefined;
  const policies = {
    ...(declaration.DeletionPolicy ? { DeletionPolicy: declaration.DeletionPolicy } : {}),
    ...(declaration.UpdateReplacePolicy ? { UpdateReplacePolicy: declaration.UpdateReplacePolicy } : {}),
  };
  const handler = env.handler(declaration.Type);
  let properties: Record<string, unknown>;
  try {
    if (!handler) throw new Error(unsupportedTypeReason(declaration.Type));
    properties = resolveValue(declaration.Properties ?? {}, ctx) as Record<string, unknown>;
  } catch (error) {
    const base = before ?? emptyState(logicalId, declaration.Type, policies);
    return recordFailure(progress, base, before ? 'UPDATE_FAILED' : 'CREATE_FAILED', error);
  }
  const step: ResourceStep = {
    env,
    progress,
    logicalId,
    type: declaration.Type,
    handler,
    properties,
    policies,
    touched,
  };
  if (!before) return createResource(step);
  const changed =
    before.ResourceType === step.type ? changedProperties(before.properties, properties) : ['Type'];
  if (changed.length === 0) return keepResource(step, before);
  const replace = changed.includes('Type') || changed.some((name) => requiresReplacement(handler, name));
  return replace ? replaceResource(step, before) : updateResource(step, before);
}

function emptyState(
  logicalId: string,
  type: string,
  policies: Pick<ResourceState, 'DeletionPolicy' | 'UpdateReplacePolicy'>,
): Omit<ResourceState, 'ResourceStatus' | 'Timestamp'> {
  return { LogicalResourceId: logicalId, ResourceType: type, properties: {}, attributes: {}, ...policies };
}

/** Records a failed resource (status and reason, on the resource and as an event) and rethrows. */
function recordFailure(
  progress: StackProgress,
  base: Omit<ResourceState, 'ResourceStatus' | 'Timestamp'>,
  status: ResourceStatus,
  error: unknown,
): never {
  const reason = message(error);
  progress.setResource(
    base.LogicalResourceId,
    { ...base, ResourceStatus: status, ResourceStatusReason: reason, Timestamp: now() },
    { type: base.ResourceType, status, physicalId: base.PhysicalResourceId, reason },
  );
  throw error;
}

/** Stores the resource as the handler left it, with the step's properties. */
function complete(step: ResourceStep, status: ResourceStatus, result: ResourceResult): void {
  const state: ResourceState = {
    LogicalResourceId: step.logicalId,
    ResourceType: step.type,
    PhysicalResourceId: result.physicalId,
    ResourceStatus: status,
    Timestamp: now(),
    properties: step.properties,
    attributes: result.attributes,
    ...step.policies,
  };
  step.progress.setResource(step.logicalId, state, {
    type: step.type,
    status,
    physicalId: result.physicalId,
    properties: step.properties,
  });
}

async function createResource(step: ResourceStep): Promise<void> {
  const { progress, logicalId, type, properties } = step;
  const starting = {
    ...emptyState(logicalId, type, step.policies),
    ResourceStatus: 'CREATE_IN_PROGRESS' as const,
    Timestamp: now(),
  };
  progress.setResource(logicalId, starting, { type, status: 'CREATE_IN_PROGRESS', properties });
  const made = journaled(step);
  try {
    const result = await step.handler.create(made.request);
    made.record(result);
    step.touched.push({ logicalId, kind: 'created', attempted: properties });
    complete(step, 'CREATE_COMPLETE', result);
  } catch (error) {
    // A resource made before its wait failed stays on the stack, so the rollback deletes it.
    const base = emptyState(logicalId, type, step.policies);
    recordFailure(progress, made.result ? withPhysical(base, made.result) : base, 'CREATE_FAILED', error);
  }
}

/**
 * The request for a create, whose `created` report (or the handler's result) is journaled on the stack at
 * once: from then on a rollback or a restart knows the physical resource.
 */
function journaled(step: ResourceStep): {
  readonly request: ResourceRequest;
  readonly record: (result: ResourceResult) => void;
  readonly result: ResourceResult | undefined;
} {
  let made: ResourceResult | undefined;
  const record = (result: ResourceResult) => {
    made = result;
    step.progress.recordCreated({
      logicalId: step.logicalId,
      type: step.type,
      physicalId: result.physicalId,
      attributes: result.attributes,
      properties: step.properties,
    });
  };
  return {
    request: { ...request(step.env, step.progress, step.logicalId, step.properties), created: record },
    record,
    get result() {
      return made;
    },
  };
}

function withPhysical<T extends Omit<ResourceState, 'ResourceStatus' | 'Timestamp'>>(
  base: T,
  result: ResourceResult,
): T {
  return { ...base, PhysicalResourceId: result.physicalId, attributes: result.attributes };
}

/** Nothing changed but possibly the policies, which need no call. */
function keepResource(step: ResourceStep, before: ResourceState): void {
  const { DeletionPolicy, UpdateReplacePolicy, ...rest } = before;
  if (isDeepStrictEqual(step.policies, { DeletionPolicy, UpdateReplacePolicy })) return;
  step.progress.update({
    resources: { ...step.progress.stack.resources, [step.logicalId]: { ...rest, ...step.policies } },
  });
}

function markUpdating(step: ResourceStep, before: ResourceState, reason?: string): void {
  step.progress.setResource(
    step.logicalId,
    { ...before, ResourceStatus: 'UPDATE_IN_PROGRESS', Timestamp: now() },
    {
      type: step.type,
      status: 'UPDATE_IN_PROGRESS',
      physicalId: before.PhysicalResourceId,
      reason,
      properties: step.properties,
    },
  );
}

/** A new physical resource; the old one is deleted in the cleanup phase (or restored by a rollback). */
async function replaceResource(step: ResourceStep, before: ResourceState): Promise<void> {
  markUpdating(step, before, REPLACING);
  const made = journaled(step);
  try {
    const result = await step.handler.create(made.request);
    made.record(result);
    step.touched.push({ logicalId: step.logicalId, kind: 'replaced', before, attempted: step.properties });
    complete(step, 'UPDATE_COMPLETE', result);
  } catch (error) {
    if (!made.result) return recordFailure(step.progress, before, 'UPDATE_FAILED', error);
    // The replacement exists: the rollback puts `before` back and deletes it.
    step.touched.push({ logicalId: step.logicalId, kind: 'replaced', before, attempted: step.properties });
    recordFailure(step.progress, withPhysical(before, made.result), 'UPDATE_FAILED', error);
  }
}

async function updateResource(step: ResourceStep, before: ResourceState): Promise<void> {
  markUpdating(step, before);
  // Recorded before the call: a failed update may have changed part of the resource and is reverted too.
  step.touched.push({ logicalId: step.logicalId, kind: 'updated', before, attempted: step.properties });
  step.progress.recordUpdating(step.logicalId, step.properties);
  try {
    const result = await step.handler.update({
      ...request(step.env, step.progress, step.logicalId, step.properties),
      physicalId: before.PhysicalResourceId!,
      previous: before.properties,
      attributes: before.attributes,
    });
    complete(step, 'UPDATE_COMPLETE', result);
  } catch (error) {
    recordFailure(step.progress, before, 'UPDATE_FAILED', error);
  }
}
