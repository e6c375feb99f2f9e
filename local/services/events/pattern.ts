import { AwsError } from '../../core/errors';

/**
 * EventBridge event patterns (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html):
 * a pattern mirrors the event's structure; every leaf is a list of matchers, any of which may match. A
 * field missing from the event matches only `{"exists": false}`; an array in the event matches when any
 * element does. Matchers: literal values (strings, numbers compared numerically, booleans, null), prefix,
 * suffix, equals-ignore-case, wildcard, anything-but (values, prefix or suffix), numeric ranges, exists,
 * and `$or` between sub-patterns.
 */
export type EventPattern = { readonly [field: string]: unknown };

type Json = unknown;
type Matcher = (value: Json) => boolean;

interface CompiledField {
  readonly path: string;
  readonly matchers?: readonly Matcher[];
  readonly nested?: CompiledPattern;
  /** Whether the field may be absent (a leaf holding `{"exists": false}`). */
  readonly matchesMissing: boolean;
}

interface CompiledPattern {
  readonly fields: readonly CompiledField[];
  readonly alternatives: readonly CompiledPattern[][];
}

/** A pattern parsed and checked once; `matches` is then cheap for every event. */
export class EventPatternMatcher {
  private constructor(private readonly compiled: CompiledPattern) {}

  /** Parses pattern JSON text as PutRule's EventPattern; throws InvalidEventPatternException as AWS does. */
  static parse(text: string): EventPatternMatcher {
    let pattern: unknown;
    try {
      pattern = JSON.parse(text);
    } catch (error) {
      throw invalidPattern(`the pattern is not JSON (${(error as Error).message})`);
    }
    return new EventPatternMatcher(compile(pattern, ''));
  }

  matches(event: Json): boolean {
    return matchObject(this.compiled, event);
  }
}

function invalidPattern(reason: string): AwsError {
  return new AwsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);
}

function compile(pattern: unknown, path: string): CompiledPattern {
  if (!isObject(pattern)) throw invalidPattern(`${path || 'the pattern'} must be a JSON object`);
  const fields: CompiledField[] = [];
  const alternatives: CompiledPattern[][] = [];
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2)
        throw invalidPattern(`${at} must be an array of at least two patterns`);
      alternatives.push(value.map((alternative) => compile(alternative, at)));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw invalidPattern(`${at}: empty arrays are not allowed`);
      const matchers = value.map((matcher) => compileMatcher(matcher, at));
      fields.push({
        path: key,
        matchers,
        matchesMissing: value.some((matcher) => isObject(matcher) && matcher.exists === false),
      });
    } else if (isObject(value)) {
      fields.push({ path: key, nested: compile(value, at), matchesMissing: false });
    } else {
      throw invalidPattern(
        `${at}: match value must be put inside a JSON array; got ${JSON.stringify(value)}`,
      );
    }
  }
  if (fields.length === 0 && alternatives.length === 0)
    throw invalidPattern(`${path || 'the pattern'} is empty`);
  return { fields, alternatives };
}

function compileMatcher(matcher: unknown, at: string): Matcher {
  if (!isObject(matcher)) {
    if (Array.isArray(matcher)) throw invalidPattern(`${at}: nested arrays are not allowed`);
    return (value) => literalEquals(matcher, value);
  }
  const entries = Object.entries(matcher);
  const [operator, operand] = entries[0] ?? [];
  if (entries.length !== 1 || operator === undefined)
    throw invalidPattern(`${at}: a matcher object has exactly one key; got ${JSON.stringify(matcher)}`);
  switch (operator) {
    case 'prefix':
      return stringTest(at, operator, operand, (value, text) => value.startsWith(text));
    case 'suffix':
      return stringTest(at, operator, operand, (value, text) => value.endsWith(text));
    case 'equals-ignore-case':
      return stringTest(at, operator, operand, (value, text) => value.toLowerCase() === text.toLowerCase());
    case 'wildcard':
      return wildcard(at, operand);
    case 'anything-but':
      return anythingBut(at, operand);
    case 'numeric':
      return numeric(at, operand);
    case 'exists':
      if (typeof operand !== 'boolean') throw invalidPattern(`${at}: exists takes true or false`);
      // exists:true matches any present leaf; exists:false is handled where the field is missing.
      return () => operand;
    default:
      throw invalidPattern(`${at}: unrecognized match type ${operator}`);
  }
}

function stringTest(
  at: string,
  operator: string,
  operand: unknown,
  test: (value: string, text: string) => boolean,
): Matcher {
  // prefix and suffix also take {"equals-ignore-case": "..."}.
  if (
    isObject(operand) &&
    typeof operand['equals-ignore-case'] === 'string' &&
    operator !== 'equals-ignore-case'
  ) {
    const text = operand['equals-ignore-case'].toLowerCase();
    return (value) => typeof value === 'string' && test(value.toLowerCase(), text);
  }
  if (typeof operand !== 'string') throw invalidPattern(`${at}: ${operator} match pattern must be a string`);
  return (value) => typeof value === 'string' && test(value, operand);
}

function wildcard(at: string, operand: unknown): Matcher {
  if (typeof operand !== 'string') throw invalidPattern(`${at}: wildcard match pattern must be a string`);
  if (operand.includes('**')) throw invalidPattern(`${at}: consecutive wildcard characters are not allowed`);
  const source = operand
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 's');
  return (value) => typeof value === 'string' && regex.test(value);
}

function anythingBut(at: string, operand: unknown): Matcher {
  if (isObject(operand)) {
    const inner = compileMatcher(operand, `${at}.anything-but`);
    if (!(
      'prefix' in operand ||
      'suffix' in operand ||
      'equals-ignore-case' in operand ||
      'wildcard' in operand
    ))
      throw invalidPattern(
        `${at}: anything-but takes values, or prefix, suffix, wildcard or equals-ignore-case`,
      );
    return (value) => typeof value === 'string' && !inner(value);
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  if (excluded.length === 0 || excluded.some((item) => isObject(item) || Array.isArray(item)))
    throw invalidPattern(`${at}: anything-but takes a value or a non-empty list of values`);
  return (value) => !excluded.some((item) => literalEquals(item, value));
}

const NUMERIC_OPERATORS = ['=', '<', '<=', '>', '>='] as const;

function numeric(at: string, operand: unknown): Matcher {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4)
    throw invalidPattern(`${at}: numeric takes one or two [operator, number] pairs`);
  const tests: ((n: number) => boolean)[] = [];
  for (let index = 0; index < operand.length; index += 2) {
    const operator: unknown = operand[index];
    const bound: unknown = operand[index + 1];
    if (!NUMERIC_OPERATORS.includes(operator as (typeof NUMERIC_OPERATORS)[number]))
      throw invalidPattern(`${at}: unrecognized numeric range operator ${JSON.stringify(operator)}`);
    if (typeof bound !== 'number')
      throw invalidPattern(`${at}: value of ${String(operator)} must be numeric`);
    tests.push(numericTest(operator as (typeof NUMERIC_OPERATORS)[number], bound));
  }
  return (value) => typeof value === 'number' && tests.every((test) => test(value));
}

function numericTest(operator: (typeof NUMERIC_OPERATORS)[number], bound: number): (n: number) => boolean {
  switch (operator) {
    case '=':
      return (n) => n === bound;
    case '<':
      return (n) => n < bound;
    case '<=':
      return (n) => n <= bound;
    case '>':
      return (n) => n > bound;
    case '>=':
      return (n) => n >= bound;
  }
}

/** Exact matching: same JSON type and value; numbers numerically (300 matches 300.0). */
function literalEquals(expected: unknown, value: Json): boolean {
  return typeof expected === typeof value && (expected === value || (expected === null && value === null));
}

function matchObject(pattern: CompiledPattern, event: Json): boolean {
  if (!isObject(event)) return false;
  return (
    pattern.fields.every((field) => matchField(field, event[field.path])) &&
    pattern.alternatives.every((alternatives) => alternatives.some((one) => matchObject(one, event)))
  );
}

function matchField(field: CompiledField, value: Json): boolean {
  if (value === undefined) return field.matchesMissing;
  if (field.nested) {
    return Array.isArray(value)
      ? value.some((element) => matchObject(field.nested!, element))
      : matchObject(field.nested, value);
  }
  // Objects are not leaves: a leaf matcher on an object field matches only "exists": false's absence rule.
  const leaves = Array.isArray(value) ? value : [value];
  const matchers = field.matchers ?? [];
  return leaves.some(
    (leaf) => !isObject(leaf) && !Array.isArray(leaf) && matchers.some((match) => match(leaf)),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
