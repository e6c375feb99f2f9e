import { cfnValidationError, templateFormatError } from '../errors';
import type { ParameterDeclaration, ParameterValue, Template } from './types';

/** A parameter as the caller passes it (CreateStack/UpdateStack/CreateChangeSet `Parameters`). */
export interface ParameterInput {
  readonly ParameterKey?: string;
  readonly ParameterValue?: string;
  readonly UsePreviousValue?: boolean;
}

/** A parameter as the stack records it: the value given, and for SSM types the value read at deploy time. */
export interface StackParameter {
  readonly ParameterKey: string;
  readonly ParameterValue: string;
  readonly ResolvedValue?: string;
}

export interface ResolveParametersOptions {
  readonly template: Template;
  readonly inputs: readonly ParameterInput[];
  /** The stack's current parameters, for UsePreviousValue. */
  readonly previous?: readonly StackParameter[];
  /** Reads an SSM parameter (for `AWS::SSM::Parameter::Value<...>` types); undefined when it does not exist. */
  readSsmParameter(name: string): Promise<string | undefined>;
}

export interface ResolvedParameters {
  /** What `Ref` returns for each parameter. */
  readonly values: Record<string, ParameterValue>;
  readonly parameters: StackParameter[];
}

const SSM_VALUE_TYPE = /^AWS::SSM::Parameter::Value<(.+)>$/;
const LIST_TYPE = /^(List<.+>|CommaDelimitedList)$/;
const PLAIN_TYPES = new Set(['String', 'Number', 'AWS::SSM::Parameter::Name']);
const AWS_SPECIFIC_TYPE = /^AWS::[A-Za-z0-9]+::[A-Za-z0-9:]+$/;

/**
 * Matches the parameters given against the template's declarations (defaults, previous values), reads SSM
 * parameter types from the local SSM and checks every constraint, with messages in CloudFormation's words
 * plus the offending value.
 */
export async function resolveParameters(options: ResolveParametersOptions): Promise<ResolvedParameters> {
  const declarations = options.template.Parameters;
  const given = new Map<string, ParameterInput>();
  for (const input of options.inputs) {
    if (!input.ParameterKey) throw cfnValidationError('Every Parameters entry needs a ParameterKey');
    given.set(input.ParameterKey, input);
  }
  const unknown = [...given.keys()].filter((key) => !(key in declarations));
  if (unknown.length > 0)
    throw cfnValidationError(`Parameters: [${unknown.join(', ')}] do not exist in the template`);

  const raw = new Map<string, string>();
  const missing: string[] = [];
  for (const [name, declaration] of Object.entries(declarations)) {
    const value = rawValue(name, declaration, given.get(name), options.previous);
    if (value === undefined) missing.push(name);
    else raw.set(name, value);
  }
  if (missing.length > 0) throw cfnValidationError(`Parameters: [${missing.join(', ')}] must have values`);

  const values: Record<string, ParameterValue> = {};
  const parameters: StackParameter[] = [];
  for (const [name, value] of raw) {
    const declaration = declarations[name] as ParameterDeclaration;
    const resolved = await resolveSsm(declaration.Type, value, options.readSsmParameter);
    const type = SSM_VALUE_TYPE.exec(declaration.Type)?.[1] ?? declaration.Type;
    values[name] = typed(name, declaration, type, resolved ?? value);
    parameters.push({
      ParameterKey: name,
      ParameterValue: value,
      ...(resolved === undefined ? {} : { ResolvedValue: resolved }),
    });
  }
  return { values, parameters };
}

function rawValue(
  name: string,
  declaration: ParameterDeclaration,
  input: ParameterInput | undefined,
  previous: readonly StackParameter[] | undefined,
): string | undefined {
  if (input?.UsePreviousValue) {
    const before = previous?.find((parameter) => parameter.ParameterKey === name);
    if (!before)
      throw cfnValidationError(
        `Parameter ${name} has UsePreviousValue set but the stack has no previous value`,
      );
    return before.ParameterValue;
  }
  if (input?.ParameterValue !== undefined) return input.ParameterValue;
  if (declaration.Default === undefined) return undefined;
  return Array.isArray(declaration.Default) ? declaration.Default.join(',') : String(declaration.Default);
}

async function resolveSsm(
  type: string,
  name: string,
  read: (name: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  if (!SSM_VALUE_TYPE.test(type)) return undefined;
  const value = await read(name);
  if (value === undefined) {
    throw cfnValidationError(`Unable to fetch parameters [${name}] from parameter store for this account.`);
  }
  return value;
}

function typed(name: string, declaration: ParameterDeclaration, type: string, value: string): ParameterValue {
  if (LIST_TYPE.test(type)) {
    const items = value === '' ? [] : value.split(',');
    if (type === 'List<Number>') items.forEach((item) => checkNumber(name, declaration, item));
    items.forEach((item) => checkAllowedValues(name, declaration, item));
    return items;
  }
  if (!PLAIN_TYPES.has(type) && !AWS_SPECIFIC_TYPE.test(type)) {
    throw templateFormatError(`Unrecognized parameter type: ${declaration.Type} (parameter ${name})`);
  }
  if (type === 'Number') checkNumber(name, declaration, value);
  else checkString(name, declaration, value);
  checkAllowedValues(name, declaration, value);
  return value;
}

function shown(declaration: ParameterDeclaration, value: string): string {
  return isNoEcho(declaration) ? '****' : JSON.stringify(value);
}

function constraintFailed(name: string, declaration: ParameterDeclaration, detail: string) {
  return cfnValidationError(
    `Parameter '${name}' failed to satisfy constraint: ${declaration.ConstraintDescription ?? detail}`,
  );
}

function checkString(name: string, declaration: ParameterDeclaration, value: string): void {
  const min = declaration.MinLength === undefined ? undefined : Number(declaration.MinLength);
  const max = declaration.MaxLength === undefined ? undefined : Number(declaration.MaxLength);
  if (min !== undefined && value.length < min) {
    throw constraintFailed(
      name,
      declaration,
      `length of ${shown(declaration, value)} must be at least ${min}`,
    );
  }
  if (max !== undefined && value.length > max) {
    throw constraintFailed(
      name,
      declaration,
      `length of ${shown(declaration, value)} must be at most ${max}`,
    );
  }
  if (
    declaration.AllowedPattern !== undefined &&
    !new RegExp(`^(?:${declaration.AllowedPattern})$`).test(value)
  ) {
    throw constraintFailed(
      name,
      declaration,
      `Malformed input-Parameter ${name} must match pattern ${declaration.AllowedPattern} (got ${shown(declaration, value)})`,
    );
  }
}

function checkNumber(name: string, declaration: ParameterDeclaration, value: string): void {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) {
    throw cfnValidationError(`Parameter '${name}' must be a number, got ${shown(declaration, value)}`);
  }
  if (declaration.MinValue !== undefined && number < Number(declaration.MinValue)) {
    throw constraintFailed(
      name,
      declaration,
      `${shown(declaration, value)} is less than MinValue ${declaration.MinValue}`,
    );
  }
  if (declaration.MaxValue !== undefined && number > Number(declaration.MaxValue)) {
    throw constraintFailed(
      name,
      declaration,
      `${shown(declaration, value)} is greater than MaxValue ${declaration.MaxValue}`,
    );
  }
}

function checkAllowedValues(name: string, declaration: ParameterDeclaration, value: string): void {
  const allowed = declaration.AllowedValues?.map(String);
  if (allowed && !allowed.includes(value)) {
    throw cfnValidationError(
      `Parameter '${name}' must be one of AllowedValues [${allowed.join(', ')}], got ${shown(declaration, value)}`,
    );
  }
}

export function isNoEcho(declaration: ParameterDeclaration | undefined): boolean {
  return declaration?.NoEcho === true || declaration?.NoEcho === 'true';
}

/** Parameters as DescribeStacks shows them: NoEcho values masked. */
export function describedParameters(
  template: Template,
  parameters: readonly StackParameter[],
): StackParameter[] {
  return parameters.map((parameter) =>
    isNoEcho(template.Parameters[parameter.ParameterKey])
      ? { ...parameter, ParameterValue: '****' }
      : parameter,
  );
}
