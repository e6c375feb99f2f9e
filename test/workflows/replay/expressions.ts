/**
 * The subset of the GitHub Actions expression language the workflow replays need: literals, context
 * property access (`a.b`, `a['b']`), `!`, comparisons, `&&`/`||`, and the functions below. It follows
 * GitHub's documented semantics (case-insensitive string equality, coercion to numbers across types,
 * `&&`/`||` returning an operand). Anything outside the subset throws, naming the expression, so a
 * workflow change the replay cannot follow fails the test instead of being skipped.
 */

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** Job status functions (`success()`, `failure()`, `cancelled()`, `always()`) read the job's state. */
export interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
}

export interface EvaluationScope {
  /** Context name → value, e.g. `{ github: {...}, steps: {...} }`. Names are matched case-insensitively. */
  readonly contexts: Readonly<Record<string, Value>>;
  /** Present where the status functions are allowed (`if:` conditions). */
  readonly status?: StatusFunctions;
}

export class ExpressionError extends Error {}

type Token =
  | { kind: 'punct'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'ident'; text: string };

type Node =
  | { type: 'literal'; value: Value }
  | { type: 'context'; name: string }
  | { type: 'member'; object: Node; property: string }
  | { type: 'index'; object: Node; index: Node }
  | { type: 'call'; name: string; args: Node[] }
  | { type: 'not'; operand: Node }
  | { type: 'binary'; op: string; left: Node; right: Node };

const PUNCTUATION = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', '.', ','];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest.startsWith("'")) {
      const literal = /^'((?:[^']|'')*)'/.exec(rest);
      if (!literal) throw new ExpressionError(`unterminated string in expression: ${source}`);
      tokens.push({ kind: 'string', value: (literal[1] ?? '').replace(/''/g, "'") });
      i += literal[0].length;
      continue;
    }
    const number = /^(?:0x[0-9a-f]+|-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)/i.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0] });
      i += ident[0].length;
      continue;
    }
    const punct = PUNCTUATION.find((p) => rest.startsWith(p));
    if (!punct) throw new ExpressionError(`unsupported character '${rest[0]}' in expression: ${source}`);
    tokens.push({ kind: 'punct', text: punct });
    i += punct.length;
  }
  return tokens;
}

/** Recursive descent over GitHub's precedence: `||` < `&&` < `== !=` < `< <= > >=` < `!` < member access. */
class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Node {
    const node = this.or();
    if (this.position < this.tokens.length) this.fail('unexpected trailing input');
    return node;
  }

  private or(): Node {
    let node = this.and();
    while (this.acceptPunct('||')) node = { type: 'binary', op: '||', left: node, right: this.and() };
    return node;
  }

  private and(): Node {
    let node = this.equality();
    while (this.acceptPunct('&&')) node = { type: 'binary', op: '&&', left: node, right: this.equality() };
    return node;
  }

  private equality(): Node {
    let node = this.comparison();
    for (let op = this.acceptAny(['==', '!=']); op; op = this.acceptAny(['==', '!='])) {
      node = { type: 'binary', op, left: node, right: this.comparison() };
    }
    return node;
  }

  private comparison(): Node {
    let node = this.unary();
    const ops = ['<=', '>=', '<', '>'];
    for (let op = this.acceptAny(ops); op; op = this.acceptAny(ops)) {
      node = { type: 'binary', op, left: node, right: this.unary() };
    }
    return node;
  }

  private unary(): Node {
    if (this.acceptPunct('!')) return { type: 'not', operand: this.unary() };
    return this.postfix(this.primary());
  }

  private postfix(start: Node): Node {
    let node = start;
    for (;;) {
      if (this.acceptPunct('.')) {
        const property = this.tokens[this.position++];
        if (property?.kind !== 'ident') this.fail("expected a property name after '.'");
        node = { type: 'member', object: node, property: property.text };
      } else if (this.acceptPunct('[')) {
        const index = this.or();
        this.expectPunct(']');
        node = { type: 'index', object: node, index };
      } else {
        return node;
      }
    }
  }

  private primary(): Node {
    const token = this.tokens[this.position++];
    if (!token) this.fail('unexpected end of expression');
    if (token.kind === 'string' || token.kind === 'number') return { type: 'literal', value: token.value };
    if (token.kind === 'punct') {
      if (token.text !== '(') this.fail(`unexpected '${token.text}'`);
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    const keyword: Record<string, Value> = { true: true, false: false, null: null };
    if (token.text in keyword) return { type: 'literal', value: keyword[token.text] ?? null };
    if (this.acceptPunct('(')) return { type: 'call', name: token.text, args: this.arguments() };
    return { type: 'context', name: token.text };
  }

  private arguments(): Node[] {
    const args: Node[] = [];
    if (this.acceptPunct(')')) return args;
    do args.push(this.or());
    while (this.acceptPunct(','));
    this.expectPunct(')');
    return args;
  }

  private acceptPunct(text: string): boolean {
    const token = this.tokens[this.position];
    if (token?.kind === 'punct' && token.text === text) {
      this.position++;
      return true;
    }
    return false;
  }

  private acceptAny(texts: string[]): string | undefined {
    return texts.find((text) => this.acceptPunct(text));
  }

  private expectPunct(text: string): void {
    if (!this.acceptPunct(text)) this.fail(`expected '${text}'`);
  }

  private fail(message: string): never {
    throw new ExpressionError(`${message} in expression: ${this.source}`);
  }
}

function parseExpression(source: string): Node {
  return new Parser(tokenize(source), source).parse();
}

export function isTruthy(value: Value): boolean {
  if (value === null || value === false || value === '' || value === 0) return false;
  return !(typeof value === 'number' && Number.isNaN(value));
}

/** The string form GitHub gives a value when it is interpolated into text. */
function toText(value: Value): string {
  if (value === null) return '';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') return 'Object';
  return String(value);
}

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return NaN;
}

function looselyEqual(left: Value, right: Value): boolean {
  if (typeof left === 'string' && typeof right === 'string')
    return left.toLowerCase() === right.toLowerCase();
  if (typeof left === 'object' || typeof right === 'object') {
    if (left === null && right === null) return true;
    if (left !== null && right !== null && typeof left === 'object' && typeof right === 'object')
      return left === right;
  }
  if (typeof left === typeof right && typeof left !== 'object') return left === right;
  return toNumber(left) === toNumber(right);
}

function compare(op: string, left: Value, right: Value): boolean {
  const bothStrings = typeof left === 'string' && typeof right === 'string';
  const a = bothStrings ? left.toLowerCase() : toNumber(left);
  const b = bothStrings ? right.toLowerCase() : toNumber(right);
  if (op === '<') return a < b;
  if (op === '<=') return a <= b;
  if (op === '>') return a > b;
  return a >= b;
}

/** Property lookup the way GitHub contexts behave: case-insensitive keys, missing → null. */
export function getProperty(object: Value, key: string): Value {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return null;
  if (key in object) return object[key] ?? null;
  const found = Object.keys(object).find((name) => name.toLowerCase() === key.toLowerCase());
  return found === undefined ? null : (object[found] ?? null);
}

function format(source: string, args: Value[]): string {
  return source.replace(/\{\{|\}\}|\{(\d+)\}/g, (match, index: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const position = Number(index);
    if (position >= args.length)
      throw new ExpressionError(`format('${source}') has no argument {${position}}`);
    return toText(args[position] ?? null);
  });
}

function callFunction(name: string, args: Value[], scope: EvaluationScope): Value {
  const text = (position: number): string => toText(args[position] ?? null);
  switch (name.toLowerCase()) {
    case 'contains': {
      const [haystack = null, needle = null] = args;
      if (Array.isArray(haystack)) return haystack.some((item) => looselyEqual(item, needle));
      return text(0).toLowerCase().includes(text(1).toLowerCase());
    }
    case 'startswith':
      return text(0).toLowerCase().startsWith(text(1).toLowerCase());
    case 'endswith':
      return text(0).toLowerCase().endsWith(text(1).toLowerCase());
    case 'format':
      return format(text(0), args.slice(1));
    case 'join': {
      const [items = null] = args;
      const separator = args.length > 1 ? text(1) : ',';
      return Array.isArray(items) ? items.map(toText).join(separator) : toText(items);
    }
    case 'tojson':
      return JSON.stringify(args[0] ?? null, null, 2);
    case 'fromjson':
      return JSON.parse(text(0)) as Value;
    case 'always':
      return requireStatus(name, scope) && true;
    case 'success':
      return requireStatus(name, scope).success();
    case 'failure':
      return requireStatus(name, scope).failure();
    case 'cancelled':
      return requireStatus(name, scope).cancelled();
    default:
      throw new ExpressionError(
        `function ${name}() is not supported by the replay (supported: contains, startsWith, endsWith, format, join, toJSON, fromJSON, success, failure, cancelled, always)`,
      );
  }
}

function requireStatus(name: string, scope: EvaluationScope): StatusFunctions {
  if (!scope.status) throw new ExpressionError(`${name}() is only allowed in an if: condition`);
  return scope.status;
}

function evaluateNode(node: Node, scope: EvaluationScope): Value {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'context': {
      const name = Object.keys(scope.contexts).find((key) => key.toLowerCase() === node.name.toLowerCase());
      if (name === undefined) {
        throw new ExpressionError(
          `context '${node.name}' is not available here (available: ${Object.keys(scope.contexts).join(', ')})`,
        );
      }
      return scope.contexts[name] ?? null;
    }
    case 'member':
      return getProperty(evaluateNode(node.object, scope), node.property);
    case 'index': {
      const object = evaluateNode(node.object, scope);
      const index = evaluateNode(node.index, scope);
      if (Array.isArray(object)) return object[toNumber(index)] ?? null;
      return getProperty(object, toText(index));
    }
    case 'call':
      return callFunction(
        node.name,
        node.args.map((arg) => evaluateNode(arg, scope)),
        scope,
      );
    case 'not':
      return !isTruthy(evaluateNode(node.operand, scope));
    case 'binary':
      return evaluateBinary(node, scope);
  }
}

function evaluateBinary(node: Extract<Node, { type: 'binary' }>, scope: EvaluationScope): Value {
  const left = evaluateNode(node.left, scope);
  if (node.op === '&&') return isTruthy(left) ? evaluateNode(node.right, scope) : left;
  if (node.op === '||') return isTruthy(left) ? left : evaluateNode(node.right, scope);
  const right = evaluateNode(node.right, scope);
  if (node.op === '==') return looselyEqual(left, right);
  if (node.op === '!=') return !looselyEqual(left, right);
  return compare(node.op, left, right);
}

export function evaluateExpression(source: string, scope: EvaluationScope): Value {
  return evaluateNode(parseExpression(source), scope);
}

/** Splits text into literal parts and `${{ ... }}` expressions, honouring `}}` inside string literals. */
function splitTemplate(text: string): Array<{ literal: string } | { expression: string }> {
  const parts: Array<{ literal: string } | { expression: string }> = [];
  let cursor = 0;
  for (let start = text.indexOf('${{', cursor); start !== -1; start = text.indexOf('${{', cursor)) {
    if (start > cursor) parts.push({ literal: text.slice(cursor, start) });
    let i = start + 3;
    let inString = false;
    while (i < text.length && (inString || !text.startsWith('}}', i))) {
      if (text[i] === "'") inString = !inString;
      i++;
    }
    if (i >= text.length) throw new ExpressionError(`unterminated \${{ in: ${text}`);
    parts.push({ expression: text.slice(start + 3, i).trim() });
    cursor = i + 2;
  }
  if (cursor < text.length) parts.push({ literal: text.slice(cursor) });
  return parts;
}

/** Replaces every `${{ expr }}` in text with its string form, as the runner does for `with:`, `run:` and `env:`. */
export function interpolate(text: string, scope: EvaluationScope): string {
  return splitTemplate(text)
    .map((part) => ('literal' in part ? part.literal : toText(evaluateExpression(part.expression, scope))))
    .join('');
}

/**
 * The value of a field that may be a bare `${{ expr }}`: then it keeps its type (workflow_call `with:`
 * and `outputs`), otherwise it is the interpolated string.
 */
export function evaluateTemplate(text: string, scope: EvaluationScope): Value {
  const parts = splitTemplate(text.trim());
  const [only] = parts;
  if (parts.length === 1 && only && 'expression' in only) return evaluateExpression(only.expression, scope);
  return interpolate(text, scope);
}

/** An `if:` condition: the `${{ }}` wrapper is optional; a condition without a status function implies success(). */
export function evaluateCondition(condition: string | boolean | undefined, scope: EvaluationScope): boolean {
  if (condition === undefined) return requireStatus('success', scope).success();
  if (typeof condition === 'boolean') return condition && requireStatus('success', scope).success();
  const trimmed = condition.trim();
  const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(trimmed);
  const source = wrapped ? (wrapped[1] ?? '').trim() : trimmed;
  const usesStatus = /\b(success|failure|cancelled|always)\s*\(/i.test(source);
  const value = isTruthy(evaluateExpression(source, scope));
  return usesStatus ? value : value && requireStatus('success', scope).success();
}
