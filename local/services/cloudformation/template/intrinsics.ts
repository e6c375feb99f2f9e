import { templateError } from '../errors';
import { isObject } from './template';
import { parseSub, splitSubVariable } from './sub';
import type { ParameterValue, Template } from './types';

/** `Ref: AWS::NoValue`: the property or list entry it stands in is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** A value known only once a resource exists (a change set's view of a resource still to be created). */
export class PendingValue {
  constructor(readonly description: string) {}
}

/** What the intrinsic functions can look up. */
export interface IntrinsicContext {
  readonly region: string;
  /** Parameters and pseudo parameters (`AWS::Region`, ...), by name. */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly mappings: Template['Mappings'];
  condition(name: string): boolean;
  /** A resource's `Ref` value. */
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
  importValue(exportName: string): string;
}

type Intrinsic = (argument: unknown, ctx: IntrinsicContext) => unknown;

/** Resolves every intrinsic function in a value; `AWS::NoValue` entries disappear. */
export function resolveValue(value: unknown, ctx: IntrinsicContext): unknown {
  if (Array.isArray(value)) {
    return value.map((entry) => resolveValue(entry, ctx)).filter((entry) => entry !== NO_VALUE);
  }
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  const fn = keys.length === 1 && keys[0] !== undefined ? INTRINSICS[keys[0]] : undefined;
  if (fn) return fn(value[keys[0] as string], ctx);
  const resolved: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const result = resolveValue(entry, ctx);
    if (result !== NO_VALUE) resolved[key] = result;
  }
  return resolved;
}

const isPending = (value: unknown): boolean =>
  value instanceof PendingValue || (Array.isArray(value) && value.some(isPending));

const pending = (fn: string, args: unknown) => new PendingValue(`${fn}(${describe(args)})`);

function describe(value: unknown): string {
  if (value instanceof PendingValue) return value.description;
  if (Array.isArray(value)) return value.map(describe).join(', ');
  return JSON.stringify(value);
}

function args(fn: string, argument: unknown, count: number | [number, number]): unknown[] {
  const [min, max] = typeof count === 'number' ? [count, count] : count;
  if (!Array.isArray(argument) || argument.length < min || argument.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw templateError(`${fn} expects a list of ${expected} arguments, got ${JSON.stringify(argument)}`);
  }
  return argument;
}

function asString(fn: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw templateError(`${fn} expects a string, got ${JSON.stringify(value)}`);
}

function asList(fn: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw templateError(`${fn} expects a list, got ${JSON.stringify(value)}`);
  return value;
}

function asBoolean(fn: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw templateError(`${fn} expects a condition, got ${JSON.stringify(value)}`);
}

function ref(argument: unknown, ctx: IntrinsicContext): unknown {
  const name = asString('Ref', argument);
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name in ctx.parameters) return ctx.parameters[name];
  return ctx.ref(name);
}

function getAtt(argument: unknown, ctx: IntrinsicContext): unknown {
  const parts = typeof argument === 'string' ? splitSubVariable(argument) : args('Fn::GetAtt', argument, 2);
  const [logicalId, attribute] = parts.map((part) => resolveValue(part, ctx));
  return ctx.getAtt(asString('Fn::GetAtt', logicalId), asString('Fn::GetAtt', attribute));
}

function join(argument: unknown, ctx: IntrinsicContext): unknown {
  const [delimiter, list] = args('Fn::Join', argument, 2).map((part) => resolveValue(part, ctx));
  if (isPending(list)) return pending('Fn::Join', list);
  return asList('Fn::Join', list)
    .map((entry) => asString('Fn::Join', entry))
    .join(asString('Fn::Join', delimiter));
}

function sub(argument: unknown, ctx: IntrinsicContext): unknown {
  const [text, variables] = typeof argument === 'string' ? [argument, {}] : args('Fn::Sub', argument, 2);
  const bindings = resolveValue(variables, ctx);
  if (!isObject(bindings))
    throw templateError(`Fn::Sub variables must be a map, got ${JSON.stringify(variables)}`);
  const values = parseSub(asString('Fn::Sub', text)).map((part) => {
    if ('literal' in part) return part.literal;
    if (part.variable in bindings) return bindings[part.variable];
    const [name, attribute] = splitSubVariable(part.variable);
    return attribute === undefined ? ref(name, ctx) : ctx.getAtt(name, attribute);
  });
  if (isPending(values)) return pending('Fn::Sub', values);
  return values.map((value) => asString('Fn::Sub', value)).join('');
}

function select(argument: unknown, ctx: IntrinsicContext): unknown {
  const [index, list] = args('Fn::Select', argument, 2).map((part) => resolveValue(part, ctx));
  if (isPending(list)) return pending('Fn::Select', list);
  const position = Number(index);
  const entries = asList('Fn::Select', list);
  if (!Number.isInteger(position) || position < 0 || position >= entries.length) {
    throw templateError(
      `Fn::Select index ${JSON.stringify(index)} is out of bounds for a list of ${entries.length}`,
    );
  }
  return entries[position];
}

function split(argument: unknown, ctx: IntrinsicContext): unknown {
  const [delimiter, text] = args('Fn::Split', argument, 2).map((part) => resolveValue(part, ctx));
  if (isPending(text)) return pending('Fn::Split', text);
  return asString('Fn::Split', text).split(asString('Fn::Split', delimiter));
}

function fnIf(argument: unknown, ctx: IntrinsicContext): unknown {
  const [name, whenTrue, whenFalse] = args('Fn::If', argument, 3);
  return resolveValue(ctx.condition(asString('Fn::If', name)) ? whenTrue : whenFalse, ctx);
}

function equals(argument: unknown, ctx: IntrinsicContext): boolean {
  const [left, right] = args('Fn::Equals', argument, 2).map((part) => resolveValue(part, ctx));
  return JSON.stringify(normalizeScalar(left)) === JSON.stringify(normalizeScalar(right));
}

/** CloudFormation compares `Fn::Equals` operands as strings: `1` equals `"1"`. */
function normalizeScalar(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** An operand of Fn::And/Or/Not: a condition function or `{"Condition": "Name"}`. */
export function conditionOperand(fn: string, operand: unknown, ctx: IntrinsicContext): boolean {
  if (isObject(operand) && Object.keys(operand).length === 1 && 'Condition' in operand) {
    return ctx.condition(asString(fn, operand.Condition));
  }
  return asBoolean(fn, resolveValue(operand, ctx));
}

function and(argument: unknown, ctx: IntrinsicContext): boolean {
  return args('Fn::And', argument, [2, 10]).every((entry) => conditionOperand('Fn::And', entry, ctx));
}

function or(argument: unknown, ctx: IntrinsicContext): boolean {
  return args('Fn::Or', argument, [2, 10]).some((entry) => conditionOperand('Fn::Or', entry, ctx));
}

function not(argument: unknown, ctx: IntrinsicContext): boolean {
  const [condition] = args('Fn::Not', argument, 1);
  return !conditionOperand('Fn::Not', condition, ctx);
}

function findInMap(argument: unknown, ctx: IntrinsicContext): unknown {
  const [map, top, second] = args('Fn::FindInMap', argument, 3).map((part) =>
    asString('Fn::FindInMap', resolveValue(part, ctx)),
  ) as [string, string, string];
  const value = ctx.mappings[map]?.[top]?.[second];
  if (value === undefined) {
    throw templateError(`Fn::FindInMap: mapping ${map} has no key [${top}][${second}]`);
  }
  return value;
}

function base64(argument: unknown, ctx: IntrinsicContext): unknown {
  const text = resolveValue(argument, ctx);
  if (isPending(text)) return pending('Fn::Base64', text);
  return Buffer.from(asString('Fn::Base64', text)).toString('base64');
}

function getAZs(argument: unknown, ctx: IntrinsicContext): string[] {
  const region = asString('Fn::GetAZs', resolveValue(argument, ctx)) || ctx.region;
  return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
}

function importValue(argument: unknown, ctx: IntrinsicContext): unknown {
  return ctx.importValue(asString('Fn::ImportValue', resolveValue(argument, ctx)));
}

const INTRINSICS: Readonly<Record<string, Intrinsic>> = {
  Ref: ref,
  'Fn::GetAtt': getAtt,
  'Fn::Join': join,
  'Fn::Sub': sub,
  'Fn::Select': select,
  'Fn::Split': split,
  'Fn::If': fnIf,
  'Fn::Equals': equals,
  'Fn::And': and,
  'Fn::Or': or,
  'Fn::Not': not,
  'Fn::FindInMap': findInMap,
  'Fn::Base64': base64,
  'Fn::GetAZs': getAZs,
  'Fn::ImportValue': importValue,
};
