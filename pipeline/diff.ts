import { isObject, type JsonObject } from './inspect/json';
import { item, member } from './inspect/json-path';
import { BRANCH_MEMBERS, flattenSteps, type FlatStep } from './inspect/steps';

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One difference at a path relative to what is compared (a step, a parameter, the definition). */
export interface Change {
  readonly path: string;
  readonly kind: ChangeKind;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface NamedDiff {
  readonly name: string;
  readonly status: ChangeKind;
  /** Step type or parameter type (the new one when it changed). */
  readonly type?: string;
  readonly changes: readonly Change[];
}

export interface DefinitionDiff {
  readonly identical: boolean;
  readonly parameters: readonly NamedDiff[];
  /** Steps matched by name wherever they sit; a move between branches shows as a change of `(placement)`. */
  readonly steps: readonly NamedDiff[];
  /** Everything else: Version, Metadata, PipelineExperimentConfig, ... */
  readonly other: readonly Change[];
}

/** Lists with one of these keys are matched by it, so reordering or inserting entries reads naturally. */
const IDENTITY_KEYS = ['Name', 'OutputName', 'InputName', 'ChannelName', 'PropertyFileName'];
const EXPRESSION_KEYS = ['Get', 'Std:Join', 'Std:JsonGet'];

/** A structural diff of two definitions: per parameter and per step, the added, removed and changed keys. */
export function diffDefinitions(before: unknown, after: unknown): DefinitionDiff {
  const parameters = diffNamed(namedParameters(before), namedParameters(after), (entry) => entry.value.Type);
  const steps = diffNamed(namedSteps(before), namedSteps(after), (entry) => entry.value.Type);
  const other: Change[] = [];
  diffValues(
    withoutMembers(before, ['Steps', 'Parameters']),
    withoutMembers(after, ['Steps', 'Parameters']),
    '',
    other,
  );
  return {
    identical: parameters.length === 0 && steps.length === 0 && other.length === 0,
    parameters,
    steps,
    other,
  };
}

interface Named {
  readonly name: string;
  readonly value: JsonObject;
}

function namedParameters(definition: unknown): Named[] {
  const parameters =
    isObject(definition) && Array.isArray(definition.Parameters) ? definition.Parameters : [];
  return parameters.flatMap((parameter) =>
    isObject(parameter) && typeof parameter.Name === 'string'
      ? [{ name: parameter.Name, value: parameter }]
      : [],
  );
}

/** Each step with its branch children replaced by their names, plus where it sits. */
function namedSteps(definition: unknown): Named[] {
  return flattenSteps(definition).flatMap((flat) =>
    flat.name === undefined ? [] : [{ name: flat.name, value: comparableStep(flat) }],
  );
}

function comparableStep(flat: FlatStep): JsonObject {
  const placement = flat.parent
    ? `${BRANCH_MEMBERS[flat.parent.branch]} of ${flat.parent.condition}`
    : 'top level';
  const args = flat.step.Arguments;
  if (flat.type !== 'Condition' || !isObject(args)) return { ...flat.step, '(placement)': placement };
  const names = (steps: unknown) =>
    Array.isArray(steps) ? steps.map((step) => (isObject(step) ? step.Name : step)) : steps;
  return {
    ...flat.step,
    Arguments: { ...args, IfSteps: names(args.IfSteps), ElseSteps: names(args.ElseSteps) },
    '(placement)': placement,
  };
}

function diffNamed(
  before: readonly Named[],
  after: readonly Named[],
  typeOf: (entry: Named) => unknown,
): NamedDiff[] {
  const old = new Map(before.map((entry) => [entry.name, entry]));
  const next = new Map(after.map((entry) => [entry.name, entry]));
  const typed = (entry: Named) =>
    typeof typeOf(entry) === 'string' ? { type: typeOf(entry) as string } : {};
  const removed = before
    .filter((entry) => !next.has(entry.name))
    .map((entry): NamedDiff => ({ name: entry.name, status: 'removed', ...typed(entry), changes: [] }));
  const addedOrChanged = after.flatMap((entry): NamedDiff[] => {
    const previous = old.get(entry.name);
    if (!previous) return [{ name: entry.name, status: 'added', ...typed(entry), changes: [] }];
    const changes: Change[] = [];
    diffValues(previous.value, entry.value, '', changes);
    return changes.length > 0 ? [{ name: entry.name, status: 'changed', ...typed(entry), changes }] : [];
  });
  return [...removed, ...addedOrChanged];
}

function diffValues(before: unknown, after: unknown, path: string, out: Change[]): void {
  if (equal(before, after)) return;
  if (isObject(before) && isObject(after) && !isExpression(before) && !isExpression(after)) {
    diffObjects(before, after, path, out);
  } else if (Array.isArray(before) && Array.isArray(after)) {
    diffArrays(before, after, path, out);
  } else {
    out.push({ path: path || '$', kind: 'changed', before, after });
  }
}

function diffObjects(before: JsonObject, after: JsonObject, path: string, out: Change[]): void {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const key of keys) {
    const keyPath = path ? member(path, key) : key;
    if (!(key in after)) out.push({ path: keyPath, kind: 'removed', before: before[key] });
    else if (!(key in before)) out.push({ path: keyPath, kind: 'added', after: after[key] });
    else diffValues(before[key], after[key], keyPath, out);
  }
}

function diffArrays(
  before: readonly unknown[],
  after: readonly unknown[],
  path: string,
  out: Change[],
): void {
  const key = identityKey(before, after);
  if (key === undefined) {
    for (let index = 0; index < Math.max(before.length, after.length); index++) {
      const indexPath = item(path, index);
      if (index >= after.length) out.push({ path: indexPath, kind: 'removed', before: before[index] });
      else if (index >= before.length) out.push({ path: indexPath, kind: 'added', after: after[index] });
      else diffValues(before[index], after[index], indexPath, out);
    }
    return;
  }
  const id = (entry: unknown) => String((entry as JsonObject)[key]);
  const old = new Map(before.map((entry) => [id(entry), entry]));
  const next = new Map(after.map((entry) => [id(entry), entry]));
  const entryPath = (name: string) => `${path}[${key}=${name}]`;
  before
    .filter((entry) => !next.has(id(entry)))
    .forEach((entry) => out.push({ path: entryPath(id(entry)), kind: 'removed', before: entry }));
  for (const entry of after) {
    const previous = old.get(id(entry));
    if (previous === undefined) out.push({ path: entryPath(id(entry)), kind: 'added', after: entry });
    else diffValues(previous, entry, entryPath(id(entry)), out);
  }
}

/** The key every entry of both lists carries with a value unique within its list, if any. */
function identityKey(before: readonly unknown[], after: readonly unknown[]): string | undefined {
  const lists = [before, after];
  if (lists.some((list) => !list.every(isObject)) || before.length + after.length === 0) return undefined;
  return IDENTITY_KEYS.find((key) =>
    lists.every((list) => {
      const values = list.map((entry) => (entry as JsonObject)[key]);
      return values.every((value) => typeof value === 'string') && new Set(values).size === values.length;
    }),
  );
}

function isExpression(value: JsonObject): boolean {
  return EXPRESSION_KEYS.some((key) => key in value);
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function withoutMembers(value: unknown, members: readonly string[]): unknown {
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !members.includes(key)));
}

const MAX_VALUE_WIDTH = 100;

/** The diff as text: `+` added, `-` removed, `~` changed, one line per key. */
export function formatDiff(diff: DefinitionDiff): string {
  if (diff.identical) return 'No differences.\n';
  const lines: string[] = [];
  const section = (title: string, entries: readonly NamedDiff[]) => {
    if (entries.length === 0) return;
    lines.push(`${title}:`);
    for (const entry of entries) {
      lines.push(`  ${SIGNS[entry.status]} ${entry.name}${entry.type ? ` (${entry.type})` : ''}`);
      entry.changes.forEach((change) => lines.push(`      ${formatChange(change)}`));
    }
  };
  section('Parameters', diff.parameters);
  section('Steps', diff.steps);
  if (diff.other.length > 0) {
    lines.push('Definition:');
    diff.other.forEach((change) => lines.push(`  ${formatChange(change)}`));
  }
  return `${lines.join('\n')}\n`;
}

const SIGNS: Readonly<Record<ChangeKind, string>> = { added: '+', removed: '-', changed: '~' };

function formatChange(change: Change): string {
  switch (change.kind) {
    case 'added':
      return `+ ${change.path}: ${formatValue(change.after)}`;
    case 'removed':
      return `- ${change.path}: ${formatValue(change.before)}`;
    default:
      return `~ ${change.path}: ${formatValue(change.before)} → ${formatValue(change.after)}`;
  }
}

function formatValue(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > MAX_VALUE_WIDTH ? `${text.slice(0, MAX_VALUE_WIDTH - 1)}…` : text;
}
