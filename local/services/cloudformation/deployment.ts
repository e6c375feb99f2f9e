import { applyTemplate } from './apply';
import { contextFor, message, type DeploymentEnv } from './deployment-env';
import { cfnValidationError } from './errors';
import type { StackOutput, StackRecord } from './model';
import type { PreparedTemplate } from './prepare';
import { now, type StackProgress } from './progress';
import { deletePhysical, deleteReplaced, deleteResources, revert } from './teardown';
import { resolveValue } from './template/intrinsics';
import { loadTemplate } from './template/template';
import type { Template } from './template/types';

/** Creates a stack's resources; on failure rolls back (deletes them) unless rollback is disabled. */
export async function runCreate(
  env: DeploymentEnv,
  progress: StackProgress,
  prepared: PreparedTemplate,
): Promise<void> {
  progress.beginOperation('create', prepared.order);
  const { failed } = await applyTemplate(env, progress, prepared);
  // Stopped: the journal stays, and the next start rolls the create back (recovery.ts).
  if (env.signal.aborted) return;
  let failure =
    failed.length > 0 ? `The following resource(s) failed to create: [${failed.join(', ')}]. ` : undefined;
  if (!failure) {
    try {
      progress.update({ outputs: resolveOutputs(env, progress, prepared) });
      progress.endOperation();
      progress.status('CREATE_COMPLETE');
      return;
    } catch (error) {
      failure = message(error);
    }
  }
  if (progress.stack.DisableRollback) {
    progress.endOperation();
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
  if (env.signal.aborted) return;
  progress.endOperation();
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
  progress.beginOperation('update', prepared.order);
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
      if (env.signal.aborted) return;
      progress.endOperation();
      progress.status('UPDATE_COMPLETE');
      return;
    } catch (error) {
      failure = message(error);
    }
  }
  if (progress.stack.DisableRollback) {
    progress.endOperation();
    progress.status('UPDATE_FAILED', failure);
    return;
  }
  progress.status('UPDATE_ROLLBACK_IN_PROGRESS', failure);
  const { leftovers, failedReverts } = await revert(env, progress, touched);
  if (env.signal.aborted) return;
  if (failedReverts.length > 0) {
    progress.endOperation();
    progress.status(
      'UPDATE_ROLLBACK_FAILED',
      `The following resource(s) failed to update: [${failedReverts.join(', ')}]. `,
    );
    return;
  }
  progress.status('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
  for (const { state, removeState } of leftovers) await deletePhysical(env, progress, state, { removeState });
  if (env.signal.aborted) return;
  progress.endOperation();
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
