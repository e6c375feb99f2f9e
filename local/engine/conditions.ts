import { isRecord } from './definition';
import { ExpressionError } from './expressions';

/** Resolves a condition operand (a literal or an expression). */
export type Resolve = (value: unknown) => Promise<unknown>;

const COMPARISONS: Record<string, (order: number) => boolean> = {
  GreaterThan: (order) => order > 0,
  GreaterThanOrEqualTo: (order) => order >= 0,
  LessThan: (order) => order < 0,
  LessThanOrEqualTo: (order) => order <= 0,
};

export const CONDITION_TYPES = ['Equals', ...Object.keys(COMPARISONS), 'In', 'Not', 'Or'] as const;

/** A Condition step's outcome: its `Conditions` entries are ANDed. */
export async function evaluateConditions(conditions: readonly unknown[], resolve: Resolve): Promise<boolean> {
  for (const condition of conditions) {
    if (!(await evaluateCondition(condition, resolve))) return false;
  }
  return true;
}

export async function evaluateCondition(condition: unknown, resolve: Resolve): Promise<boolean> {
  if (!isRecord(condition) || typeof condition.Type !== 'string') {
    throw new ExpressionError(`a condition needs a Type; got ${JSON.stringify(condition)}`);
  }
  const type = condition.Type;
  if (type === 'Not') return !(await evaluateCondition(condition.Condition, resolve));
  if (type === 'Or') {
    const list = Array.isArray(condition.Conditions) ? condition.Conditions : [];
    for (const inner of list) {
      if (await evaluateCondition(inner, resolve)) return true;
    }
    return false;
  }
  if (type === 'In') {
    const query = await resolve(condition.QueryValue);
    const values = await resolve(condition.Values);
    if (!Array.isArray(values))
      throw new ExpressionError(`In condition needs Values (a list); got ${JSON.stringify(values)}`);
    return values.some((value) => equal(query, value));
  }
  const left = await resolve(condition.LeftValue);
  const right = await resolve(condition.RightValue);
  if (type === 'Equals') return equal(left, right);
  const test = COMPARISONS[type];
  if (!test) {
    throw new ExpressionError(
      `unknown condition type ${type}; expected one of ${CONDITION_TYPES.join(', ')}`,
    );
  }
  return test(compare(left, right, type));
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function equal(left: unknown, right: unknown): boolean {
  const l = asNumber(left);
  const r = asNumber(right);
  if (l !== undefined && r !== undefined) return l === r;
  return JSON.stringify(left) === JSON.stringify(right);
}

function compare(left: unknown, right: unknown, type: string): number {
  const l = asNumber(left);
  const r = asNumber(right);
  if (l !== undefined && r !== undefined) return l - r;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  throw new ExpressionError(`${type} cannot compare ${JSON.stringify(left)} with ${JSON.stringify(right)}`);
}
