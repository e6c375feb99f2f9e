import { isDeepStrictEqual } from 'node:util';

import type { ResourceChange, ResourceChangeDetail, ResourceState } from './model';
import type { PreparedTemplate } from './prepare';
import { resourceContext } from './resource-context';
import type { ResourceHandler } from './resources/types';
import { PendingValue, resolveValue } from './template/intrinsics';

export interface PlanOptions {
  readonly prepared: PreparedTemplate;
  /** The stack's resources now (empty for a new stack). */
  readonly resources: Readonly<Record<string, ResourceState>>;
  handler(type: string): ResourceHandler | undefined;
  importValue(exportName: string): string;
}

/** Whether a change of `property` from `before` to `after` needs a new physical resource. */
export function requiresReplacement(handler: ResourceHandler | undefined, property: string): boolean {
  if (!handler || handler.replaceOn === 'all') return true;
  return handler.replaceOn.includes(property);
}

/** Top-level properties that differ (a value still pending always differs). */
export function changedProperties(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => !isDeepStrictEqual(before[name], after[name])).sort();
}

const containsPending = (value: unknown): boolean =>
  value instanceof PendingValue ||
  (Array.isArray(value) && value.some(containsPending)) ||
  (typeof value === 'object' && value !== null && Object.values(value).some(containsPending));

/**
 * What a deployment of the prepared template would do to the stack's resources: the Changes of a change
 * set. Values of resources still to be created or replaced are unknown, so whatever refers to them counts
 * as modified (Evaluation Dynamic), as CloudFormation reports it.
 */
export function planChanges(options: PlanOptions): ResourceChange[] {
  const { prepared, resources } = options;
  const renewed = new Set<string>();
  const ctx = resourceContext(prepared, {
    state: (id) => resources[id],
    pending: (id) => renewed.has(id),
    handler: options.handler,
    importValue: options.importValue,
  });
  const changes: ResourceChange[] = [];
  for (const logicalId of prepared.order) {
    const declaration = prepared.template.Resources[logicalId]!;
    const before = resources[logicalId];
    const properties = resolveValue(declaration.Properties ?? {}, ctx) as Record<string, unknown>;
    if (!before?.PhysicalResourceId) {
      renewed.add(logicalId);
      changes.push({
        Action: 'Add',
        LogicalResourceId: logicalId,
        ResourceType: declaration.Type,
        Scope: [],
        Details: [],
      });
      continue;
    }
    const handler = options.handler(declaration.Type);
    const changed =
      before.ResourceType === declaration.Type ? changedProperties(before.properties, properties) : ['Type'];
    if (changed.length === 0) continue;
    const details = changed.map((name): ResourceChangeDetail => {
      const dynamic = containsPending(properties[name]);
      return {
        Target: {
          Attribute: 'Properties',
          Name: name,
          RequiresRecreation: requiresReplacement(handler, name) ? 'Always' : 'Never',
        },
        Evaluation: dynamic ? 'Dynamic' : 'Static',
        ChangeSource: dynamic ? 'ResourceReference' : 'DirectModification',
      };
    });
    const replacement =
      changed.includes('Type') || details.some((detail) => detail.Target.RequiresRecreation === 'Always');
    if (replacement) renewed.add(logicalId);
    changes.push({
      Action: 'Modify',
      LogicalResourceId: logicalId,
      PhysicalResourceId: before.PhysicalResourceId,
      ResourceType: declaration.Type,
      Replacement: replacement ? 'True' : 'False',
      Scope: ['Properties'],
      Details: details,
    });
  }
  const included = new Set(prepared.order);
  for (const [logicalId, state] of Object.entries(resources)) {
    if (included.has(logicalId) || !state.PhysicalResourceId) continue;
    changes.push({
      Action: 'Remove',
      LogicalResourceId: logicalId,
      PhysicalResourceId: state.PhysicalResourceId,
      ResourceType: state.ResourceType,
      Scope: [],
      Details: [],
    });
  }
  return changes;
}
