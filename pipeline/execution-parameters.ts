import type { ParameterType, Primitive } from './dsl/wire';
import { isObject } from './inspect/json';
import { PARAMETER_TYPES } from './validation/parameters';
import { issue, type ValidationIssue } from './validation/issue';
import { didYouMean } from './validation/suggest';

/** A declared pipeline parameter, as executions see it. */
export interface ParameterSpec {
  readonly name: string;
  readonly type: ParameterType;
  readonly defaultValue?: Primitive;
  readonly enumValues?: readonly string[];
}

export type ExecutionParameterValues = Readonly<Record<string, string | number | boolean>>;

/** StartPipelineExecution passes every value as a string of at most this many characters. */
export const MAX_PARAMETER_VALUE_LENGTH = 1024;

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The parameters a definition declares (entries that are not well-formed parameters are skipped). */
export function parameterSpecs(definition: unknown): ParameterSpec[] {
  const parameters =
    isObject(definition) && Array.isArray(definition.Parameters) ? definition.Parameters : [];
  return parameters.flatMap((parameter): ParameterSpec[] => {
    if (!isObject(parameter) || typeof parameter.Name !== 'string') return [];
    const type = parameter.Type;
    if (typeof type !== 'string' || !(PARAMETER_TYPES as readonly string[]).includes(type)) return [];
    const { DefaultValue: defaultValue, EnumValues: enumValues } = parameter;
    return [
      {
        name: parameter.Name,
        type: type as ParameterType,
        ...(isPrimitiveValue(defaultValue) && { defaultValue }),
        ...(Array.isArray(enumValues) && {
          enumValues: enumValues.filter((value) => typeof value === 'string'),
        }),
      },
    ];
  });
}

/**
 * Problems with the values an execution would start with: unknown names, values that do not fit the
 * parameter type (strings are read the way the service reads them: "5", "2.5", "true"), values outside
 * EnumValues, and parameters without a default that get no value. Paths are `PipelineParameters.<name>`.
 */
export function checkExecutionParameters(
  definition: unknown,
  values: ExecutionParameterValues,
): ValidationIssue[] {
  const specs = parameterSpecs(definition);
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const given = Object.entries(values).flatMap(([name, value]) => {
    const spec = byName.get(name);
    if (!spec) {
      const declared = specs.map((entry) => entry.name);
      return [
        issue(
          pathOf(name),
          `unknown parameter "${name}"${didYouMean(name, declared)}; the pipeline declares ${declared.join(', ') || 'no parameters'}`,
        ),
      ];
    }
    return checkValue(spec, value);
  });
  const missing = specs
    .filter((spec) => spec.defaultValue === undefined && !(spec.name in values))
    .map((spec) =>
      issue(pathOf(spec.name), `parameter "${spec.name}" (${spec.type}) has no default; give it a value`),
    );
  return [...given, ...missing];
}

/** The PipelineParameters list of a StartPipelineExecution request. */
export function executionParameterList(values: ExecutionParameterValues): { Name: string; Value: string }[] {
  return Object.entries(values).map(([name, value]) => ({ Name: name, Value: String(value) }));
}

function checkValue(spec: ParameterSpec, value: string | number | boolean): ValidationIssue[] {
  const path = pathOf(spec.name);
  const text = String(value);
  if (text.length > MAX_PARAMETER_VALUE_LENGTH) {
    return [
      issue(
        path,
        `value of "${spec.name}" is ${text.length} characters; at most ${MAX_PARAMETER_VALUE_LENGTH} are allowed`,
      ),
    ];
  }
  if (!fits(spec.type, value)) {
    return [
      issue(
        path,
        `value ${JSON.stringify(value)} does not fit "${spec.name}" (${spec.type}); expected ${expected(spec.type)}`,
      ),
    ];
  }
  if (spec.enumValues && !spec.enumValues.includes(text)) {
    return [
      issue(
        path,
        `value ${JSON.stringify(value)} is not allowed for "${spec.name}"; expected one of ${spec.enumValues.join(', ')}`,
      ),
    ];
  }
  return [];
}

function fits(type: ParameterType, value: string | number | boolean): boolean {
  switch (type) {
    case 'Integer':
      return typeof value === 'number'
        ? Number.isInteger(value)
        : typeof value === 'string' && INTEGER.test(value.trim());
    case 'Float':
      return typeof value === 'number'
        ? Number.isFinite(value)
        : typeof value === 'string' && FLOAT.test(value.trim()) && Number.isFinite(Number(value));
    case 'Boolean':
      return (
        typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
      );
    default:
      return true;
  }
}

function expected(type: ParameterType): string {
  switch (type) {
    case 'Integer':
      return 'a whole number such as 5';
    case 'Float':
      return 'a number such as 2.5';
    case 'Boolean':
      return 'true or false';
    default:
      return 'a string';
  }
}

function isPrimitiveValue(value: unknown): value is Primitive {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function pathOf(name: string): string {
  return `PipelineParameters.${name}`;
}
