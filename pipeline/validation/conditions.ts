import { describeJson, isObject, isPrimitive, type JsonObject } from '../inspect/json';
import { item, member } from '../inspect/json-path';
import { issue, type ValidationIssue } from './issue';
import { didYouMean } from './suggest';

const COMPARISONS = ['Equals', 'GreaterThan', 'GreaterThanOrEqualTo', 'LessThan', 'LessThanOrEqualTo'];
export const CONDITION_TYPES = [...COMPARISONS, 'In', 'Not', 'Or'];
const EXPRESSION_KEYS = ['Get', 'Std:Join', 'Std:JsonGet'];

/** A Condition step's Arguments: `Conditions` (ANDed) plus `IfSteps` / `ElseSteps` arrays. */
export function checkConditionArguments(args: JsonObject, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const conditions = args.Conditions;
  const conditionsPath = member(path, 'Conditions');
  if (!Array.isArray(conditions) || conditions.length === 0) {
    issues.push(issue(conditionsPath, 'a Condition step needs Conditions, a non-empty array of conditions'));
  } else {
    conditions.forEach((condition, index) =>
      issues.push(...checkCondition(condition, item(conditionsPath, index))),
    );
  }
  for (const branch of ['IfSteps', 'ElseSteps']) {
    const steps = args[branch];
    if (steps === undefined) continue;
    if (!Array.isArray(steps)) {
      issues.push(
        issue(member(path, branch), `${branch} must be an array of steps, found ${describeJson(steps)}`),
      );
      continue;
    }
    steps.forEach((step, index) => {
      if (!isObject(step))
        issues.push(
          issue(item(member(path, branch), index), `a step must be an object, found ${describeJson(step)}`),
        );
    });
  }
  return issues;
}

export function checkCondition(condition: unknown, path: string): ValidationIssue[] {
  if (!isObject(condition))
    return [issue(path, `a condition must be an object, found ${describeJson(condition)}`)];
  const type = condition.Type;
  if (typeof type !== 'string') {
    return [issue(member(path, 'Type'), `a condition needs Type, one of ${CONDITION_TYPES.join(', ')}`)];
  }
  if (COMPARISONS.includes(type)) {
    return [...operand(condition, 'LeftValue', type, path), ...operand(condition, 'RightValue', type, path)];
  }
  switch (type) {
    case 'In':
      return checkIn(condition, path);
    case 'Not':
      return 'Condition' in condition
        ? checkCondition(condition.Condition, member(path, 'Condition'))
        : [issue(member(path, 'Condition'), 'a Not condition needs Condition, the condition it negates')];
    case 'Or':
      return checkOr(condition, path);
    default:
      return [
        issue(
          member(path, 'Type'),
          `unknown condition type "${type}"${didYouMean(type, CONDITION_TYPES)}; expected one of ${CONDITION_TYPES.join(', ')}`,
        ),
      ];
  }
}

function operand(condition: JsonObject, key: string, type: string, path: string): ValidationIssue[] {
  const operandPath = member(path, key);
  if (!(key in condition)) return [issue(operandPath, `a ${type} condition needs ${key}`)];
  return checkValue(condition[key], operandPath);
}

function checkIn(condition: JsonObject, path: string): ValidationIssue[] {
  const issues =
    'QueryValue' in condition
      ? checkValue(condition.QueryValue, member(path, 'QueryValue'))
      : [issue(member(path, 'QueryValue'), 'an In condition needs QueryValue, the value to look for')];
  const values = condition.Values;
  if (!Array.isArray(values) || values.length === 0) {
    return [
      ...issues,
      issue(member(path, 'Values'), 'an In condition needs Values, a non-empty array of values'),
    ];
  }
  return [
    ...issues,
    ...values.flatMap((value, index) => checkValue(value, item(member(path, 'Values'), index))),
  ];
}

function checkOr(condition: JsonObject, path: string): ValidationIssue[] {
  const conditions = condition.Conditions;
  if (!Array.isArray(conditions) || conditions.length === 0) {
    return [
      issue(member(path, 'Conditions'), 'an Or condition needs Conditions, a non-empty array of conditions'),
    ];
  }
  return conditions.flatMap((entry, index) => checkCondition(entry, item(member(path, 'Conditions'), index)));
}

/** A condition operand: a literal or an expression (whose inside the reference checks look at). */
function checkValue(value: unknown, path: string): ValidationIssue[] {
  if (isPrimitive(value)) return [];
  if (isObject(value) && EXPRESSION_KEYS.some((key) => key in value)) return [];
  return [
    issue(
      path,
      `expected a literal or an expression (Get, Std:Join, Std:JsonGet), found ${describeJson(value)}`,
    ),
  ];
}
