import { PARAMETER_NAME_PATTERN, PARAMETER_NAME_RULE } from '../dsl/names';
import { describeJson, isObject, type JsonObject } from '../inspect/json';
import { item, member } from '../inspect/json-path';
import { issue, type ValidationIssue } from './issue';

export const PARAMETER_TYPES = ['String', 'Integer', 'Float', 'Boolean'] as const;
const PARAMETER_MEMBERS = new Set(['Name', 'Type', 'DefaultValue', 'EnumValues']);

/** Whether a JSON value fits a parameter type (Integer: a whole number; Float: any finite number). */
export function fitsParameterType(type: string, value: unknown): boolean {
  switch (type) {
    case 'String':
      return typeof value === 'string';
    case 'Integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'Boolean':
      return typeof value === 'boolean';
    default:
      return false;
  }
}

/** Problems in `Parameters`: names, duplicates, types, defaults and EnumValues. */
export function checkParameters(parameters: unknown, path: string): ValidationIssue[] {
  if (parameters === undefined) return [];
  if (!Array.isArray(parameters))
    return [issue(path, `Parameters must be an array, found ${describeJson(parameters)}`)];
  const firstPath = new Map<string, string>();
  return parameters.flatMap((parameter, index) => {
    const parameterPath = item(path, index);
    if (!isObject(parameter))
      return [issue(parameterPath, `a parameter must be an object, found ${describeJson(parameter)}`)];
    const duplicate = duplicateName(parameter, parameterPath, firstPath);
    return [...duplicate, ...checkParameter(parameter, parameterPath)];
  });
}

function duplicateName(
  parameter: JsonObject,
  path: string,
  firstPath: Map<string, string>,
): ValidationIssue[] {
  if (typeof parameter.Name !== 'string') return [];
  const first = firstPath.get(parameter.Name);
  if (first === undefined) {
    firstPath.set(parameter.Name, path);
    return [];
  }
  return [
    issue(member(path, 'Name'), `duplicate parameter name "${parameter.Name}" (first declared at ${first})`),
  ];
}

function checkParameter(parameter: JsonObject, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { Name: name, Type: type } = parameter;
  if (typeof name !== 'string' || !PARAMETER_NAME_PATTERN.test(name)) {
    issues.push(
      issue(
        member(path, 'Name'),
        `invalid parameter name ${JSON.stringify(name)}: expected ${PARAMETER_NAME_RULE}`,
      ),
    );
  }
  for (const key of Object.keys(parameter)) {
    if (!PARAMETER_MEMBERS.has(key))
      issues.push(
        issue(
          member(path, key),
          `unknown parameter member "${key}"; expected Name, Type, DefaultValue, EnumValues`,
        ),
      );
  }
  if (typeof type !== 'string' || !(PARAMETER_TYPES as readonly string[]).includes(type)) {
    issues.push(
      issue(
        member(path, 'Type'),
        `unknown parameter type ${JSON.stringify(type)}; expected one of ${PARAMETER_TYPES.join(', ')}`,
      ),
    );
    return issues;
  }
  if ('DefaultValue' in parameter && !fitsParameterType(type, parameter.DefaultValue)) {
    issues.push(
      issue(
        member(path, 'DefaultValue'),
        `default ${describeJson(parameter.DefaultValue)} does not fit the parameter type ${type}; expected ${expectedValue(type)}`,
      ),
    );
  }
  return [...issues, ...checkEnumValues(parameter, type, path)];
}

function checkEnumValues(parameter: JsonObject, type: string, path: string): ValidationIssue[] {
  if (!('EnumValues' in parameter)) return [];
  const enumPath = member(path, 'EnumValues');
  const values = parameter.EnumValues;
  if (type !== 'String')
    return [issue(enumPath, `EnumValues is allowed on String parameters only, this one is ${type}`)];
  if (!Array.isArray(values) || values.length === 0 || !values.every((value) => typeof value === 'string')) {
    return [issue(enumPath, 'EnumValues must be a non-empty array of strings')];
  }
  const fallback = parameter.DefaultValue;
  if (typeof fallback === 'string' && !values.includes(fallback)) {
    return [
      issue(
        member(path, 'DefaultValue'),
        `default "${fallback}" is not one of the EnumValues ${JSON.stringify(values)}`,
      ),
    ];
  }
  return [];
}

export function expectedValue(type: string): string {
  switch (type) {
    case 'Integer':
      return 'a whole number';
    case 'Float':
      return 'a number';
    case 'Boolean':
      return 'true or false';
    default:
      return 'a string';
  }
}
