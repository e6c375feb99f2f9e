import { cfnValidationError, templateFormatError } from '../errors';
import { isObject } from './template';
import { parseSub, splitSubVariable } from './sub';
import type { Template } from './types';

export const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
] as const;

/** Every name a value refers to through Ref, Fn::GetAtt or Fn::Sub (parameters included). */
export function referencedNames(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((entry) => referencedNames(entry, found));
    return found;
  }
  if (!isObject(value)) return found;
  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  const argument = only === undefined ? undefined : value[only];
  if (only === 'Ref' && typeof argument === 'string') found.add(argument);
  else if (only === 'Fn::GetAtt') addGetAtt(argument, found);
  else if (only === 'Fn::Sub') addSub(argument, found);
  else Object.values(value).forEach((entry) => referencedNames(entry, found));
  return found;
}

function addGetAtt(argument: unknown, found: Set<string>): void {
  if (typeof argument === 'string') found.add(splitSubVariable(argument)[0]);
  else if (Array.isArray(argument) && typeof argument[0] === 'string') {
    found.add(argument[0]);
    referencedNames(argument.slice(1), found);
  }
}

function addSub(argument: unknown, found: Set<string>): void {
  const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
  const bound = isObject(variables) ? new Set(Object.keys(variables)) : new Set<string>();
  referencedNames(variables, found);
  if (typeof text !== 'string') return;
  for (const part of parseSub(text)) {
    if ('variable' in part && !bound.has(part.variable)) found.add(splitSubVariable(part.variable)[0]);
  }
}

/** The resources a resource depends on: its references plus DependsOn. */
export function resourceDependencies(template: Template, logicalId: string): string[] {
  const resource = template.Resources[logicalId];
  if (!resource) return [];
  const names = referencedNames(resource.Properties ?? {});
  const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
  dependsOn.forEach((name) => names.add(name));
  return [...names].filter((name) => name in template.Resources && name !== logicalId);
}

/**
 * Checks that every reference names a parameter, pseudo parameter or resource and that DependsOn names
 * resources, with CloudFormation's messages.
 */
export function checkReferences(template: Template): void {
  const known = new Set<string>([
    ...PSEUDO_PARAMETERS,
    ...Object.keys(template.Parameters),
    ...Object.keys(template.Resources),
  ]);
  const unresolved = new Set<string>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    for (const name of referencedNames(resource.Properties ?? {})) if (!known.has(name)) unresolved.add(name);
    for (const name of resource.DependsOn === undefined ? [] : [resource.DependsOn].flat()) {
      if (!(name in template.Resources)) {
        throw templateFormatError(
          `Unresolved resource dependencies [${name}] in the DependsOn of resource ${logicalId}`,
        );
      }
    }
    if (resource.Condition !== undefined && !(resource.Condition in template.Conditions)) {
      throw templateFormatError(`Unresolved condition ${resource.Condition} on resource ${logicalId}`);
    }
  }
  if (unresolved.size > 0) {
    throw templateFormatError(
      `Unresolved resource dependencies [${[...unresolved].join(', ')}] in the Resources block of the template`,
    );
  }
  const outputUnresolved = [...referencedNames(template.Outputs)].filter((name) => !known.has(name));
  if (outputUnresolved.length > 0) {
    throw templateFormatError(
      `Unresolved resource dependencies [${outputUnresolved.join(', ')}] in the Outputs block of the template`,
    );
  }
}

/** Resources in an order where each comes after everything it depends on; a cycle is a ValidationError. */
export function dependencyOrder(template: Template, logicalIds: readonly string[]): string[] {
  const included = new Set(logicalIds);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = path.slice(path.indexOf(id));
      throw cfnValidationError(`Circular dependency between resources: [${cycle.sort().join(', ')}]`);
    }
    state.set(id, 'visiting');
    for (const dependency of resourceDependencies(template, id))
      if (included.has(dependency)) visit(dependency, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  [...logicalIds].sort().forEach((id) => visit(id, []));
  return order;
}
