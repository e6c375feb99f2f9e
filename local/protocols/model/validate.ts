import { type ServiceModel, type Shape, type ShapeRef, shapeOf } from './shapes';

/** One broken constraint: where (AWS's path, e.g. `tags.1.member.key`), the value and what it must be. */
export interface Violation {
  readonly path: string;
  readonly value: unknown;
  readonly constraint: string;
}

/**
 * Checks a decoded input against the model's constraints (required, length, range, pattern, enum) the way
 * AWS's front door does, walking nested structures, lists and maps. Values are already typed by the codec.
 */
export function validateInput(model: ServiceModel, ref: ShapeRef | string, value: unknown): Violation[] {
  const violations: Violation[] = [];
  check(model, shapeOf(model, ref), value, '', violations);
  return violations;
}

/**
 * AWS's wording (clients and people match on it): `1 validation error detected: Value 'x' at 'pipelineName'
 * failed to satisfy constraint: Member must have length less than or equal to 256`, several joined by `; `.
 */
export function validationMessage(violations: readonly Violation[]): string {
  const count = violations.length;
  const head = `${count} validation error${count === 1 ? '' : 's'} detected: `;
  return head + violations.map(describe).join('; ');
}

function describe({ path, value, constraint }: Violation): string {
  return `Value ${renderValue(value)} at '${path}' failed to satisfy constraint: ${constraint}`;
}

function renderValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (Buffer.isBuffer(value)) return `'java.nio.HeapByteBuffer[pos=0 lim=${value.length}]'`;
  if (Array.isArray(value)) return `'[${value.map((item) => String(item)).join(', ')}]'`;
  return `'${String(value)}'`;
}

function check(model: ServiceModel, shape: Shape, value: unknown, path: string, out: Violation[]): void {
  switch (shape.type) {
    case 'structure':
      return checkStructure(model, shape, value as Record<string, unknown>, path, out);
    case 'list': {
      const items = value as unknown[];
      checkLength(shape, items.length, items, path, out);
      const member = shapeOf(model, shape.member!);
      // A query-encoded list may leave gaps (`member.2` without `member.1`): a gap is a null member.
      for (let index = 0; index < items.length; index += 1) {
        const item = items[index];
        const itemPath = `${path}.${index + 1}.member`;
        if (item === undefined || item === null)
          out.push({ path: itemPath, value: null, constraint: NOT_NULL });
        else check(model, member, item, itemPath, out);
      }
      return;
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>);
      checkLength(shape, entries.length, value, path, out);
      const [keyShape, valueShape] = [shapeOf(model, shape.key!), shapeOf(model, shape.value!)];
      for (const [key, item] of entries) {
        check(model, keyShape, key, `${path}.key`, out);
        check(model, valueShape, item, `${path}.${key}.value`, out);
      }
      return;
    }
    case 'string':
      return checkString(shape, value as string, path, out);
    case 'blob':
      return checkLength(shape, (value as Buffer).length, value, path, out);
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return checkRange(shape, value as number, path, out);
    default:
      return;
  }
}

function checkStructure(
  model: ServiceModel,
  shape: Shape,
  value: Record<string, unknown>,
  path: string,
  out: Violation[],
): void {
  for (const name of shape.required ?? []) {
    if (value[name] === undefined) out.push({ path: join(path, name), value: null, constraint: NOT_NULL });
  }
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const member = value[name];
    if (member !== undefined) check(model, shapeOf(model, ref), member, join(path, name), out);
  }
}

const NOT_NULL = 'Member must not be null';

/** AWS's paths name members in lower camel case: `PipelineName` → `pipelineName`. */
function join(path: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return path ? `${path}.${name}` : name;
}

function checkString(shape: Shape, value: string, path: string, out: Violation[]): void {
  checkLength(shape, [...value].length, value, path, out);
  if (shape.enum && !shape.enum.includes(value)) {
    out.push({ path, value, constraint: `Member must satisfy enum value set: [${shape.enum.join(', ')}]` });
  }
  const pattern = shape.pattern === undefined ? undefined : compilePattern(shape.pattern);
  if (pattern && !pattern.test(value)) {
    out.push({ path, value, constraint: `Member must satisfy regular expression pattern: ${shape.pattern}` });
  }
}

function checkLength(shape: Shape, length: number, value: unknown, path: string, out: Violation[]): void {
  if (shape.min !== undefined && length < shape.min) {
    out.push({ path, value, constraint: `Member must have length greater than or equal to ${shape.min}` });
  }
  if (shape.max !== undefined && length > shape.max) {
    out.push({ path, value, constraint: `Member must have length less than or equal to ${shape.max}` });
  }
}

function checkRange(shape: Shape, value: number, path: string, out: Violation[]): void {
  if (shape.min !== undefined && value < shape.min) {
    out.push({ path, value, constraint: `Member must have value greater than or equal to ${shape.min}` });
  }
  if (shape.max !== undefined && value > shape.max) {
    out.push({ path, value, constraint: `Member must have value less than or equal to ${shape.max}` });
  }
}

const patterns = new Map<string, RegExp | null>();

/**
 * The model's (Java) pattern as a JavaScript RegExp matching the WHOLE value, as Java's `matches()` does.
 * Unicode mode first (for `\p{..}`); a pattern JavaScript cannot express is not enforced (null) — the
 * conformance figures count these. Java accepts a quantified end anchor (`${1,128}` in SageMaker's tag
 * patterns), JavaScript does not; it means the same as a plain `$`.
 */
export function compilePattern(pattern: string): RegExp | null {
  if (!patterns.has(pattern)) {
    const source = `^(?:${javaToJavaScript(pattern)})$`;
    patterns.set(pattern, tryRegExp(source, 'u') ?? tryRegExp(source, ''));
  }
  return patterns.get(pattern)!;
}

/**
 * Java-only syntax in JavaScript terms: `\A` and `\z` are the whole-value anchors already added, and
 * `\p{Print}` is Java's POSIX class (US-ASCII printable), which JavaScript's \p{..} does not know.
 */
function javaToJavaScript(pattern: string): string {
  return pattern
    .replace(/\$\{\d+,\d+\}/g, '$')
    .replace(/^\\A|\\[zZ]$/g, '')
    .replaceAll('[\\p{Print}]', '[\\x20-\\x7E]')
    .replaceAll('\\p{Print}', '[\\x20-\\x7E]');
}

function tryRegExp(source: string, flags: string): RegExp | null {
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}
