import { templateError } from './errors';
import type { ResourceState } from './model';
import type { PreparedTemplate } from './prepare';
import type { ResourceHandler } from './resources/types';
import { PendingValue, type IntrinsicContext } from './template/intrinsics';

export interface ResourceLookup {
  /** The resource as it stands now (created, or kept from the previous deployment). */
  state(logicalId: string): ResourceState | undefined;
  /** True when the resource will get a new physical id (a change set's view: values not known yet). */
  pending(logicalId: string): boolean;
  handler(type: string): ResourceHandler | undefined;
  importValue(exportName: string): string;
}

/** The intrinsic-function context in which resource properties and outputs are resolved. */
export function resourceContext(prepared: PreparedTemplate, lookup: ResourceLookup): IntrinsicContext {
  const { template, conditions } = prepared;
  const available = (logicalId: string): ResourceState | undefined => {
    const declaration = template.Resources[logicalId];
    if (!declaration) throw templateError(`Unresolved resource dependency ${logicalId}`);
    if (declaration.Condition !== undefined && !conditions[declaration.Condition]) {
      throw templateError(
        `resource ${logicalId} is referenced but not created: its Condition ${declaration.Condition} is false`,
      );
    }
    if (lookup.pending(logicalId)) return undefined;
    const state = lookup.state(logicalId);
    if (!state?.PhysicalResourceId)
      throw templateError(`resource ${logicalId} is referenced before it exists`);
    return state;
  };
  return {
    region: prepared.values['AWS::Region'] as string,
    parameters: prepared.values,
    mappings: template.Mappings,
    condition: (name) => {
      const value = conditions[name];
      if (value === undefined) throw templateError(`Unresolved condition dependency ${name}`);
      return value;
    },
    ref: (logicalId) => available(logicalId)?.PhysicalResourceId ?? new PendingValue(logicalId),
    getAtt: (logicalId, attribute) => {
      const type = template.Resources[logicalId]?.Type;
      const handler = type === undefined ? undefined : lookup.handler(type);
      if (handler && !handler.attributes.includes(attribute)) {
        throw templateError(
          `resource ${logicalId} of type ${type} does not support attribute type ${attribute} in Fn::GetAtt`,
        );
      }
      const state = available(logicalId);
      if (!state) return new PendingValue(`${logicalId}.${attribute}`);
      const value = state.attributes[attribute];
      if (value === undefined)
        throw templateError(`resource ${logicalId} has no value for attribute ${attribute}`);
      return value;
    },
    importValue: lookup.importValue,
  };
}
