import { cfnValidationError, templateError } from '../errors';
import { resolveValue, type IntrinsicContext } from './intrinsics';
import { isObject } from './template';
import type { Template } from './types';

/**
 * Checks the template's Rules (e.g. CDK's CheckBootstrapVersion) against the parameter values; a failed
 * assertion is a ValidationError carrying its AssertDescription, as CloudFormation reports it.
 */
export function checkRules(template: Template, ctx: IntrinsicContext): void {
  for (const [name, rule] of Object.entries(template.Rules)) {
    if (rule.RuleCondition !== undefined && !truthy(name, evaluate(rule.RuleCondition, ctx))) continue;
    for (const assertion of rule.Assertions) {
      if (!truthy(name, evaluate(assertion.Assert, ctx))) {
        throw cfnValidationError(
          assertion.AssertDescription ?? `Template validation error: rule ${name} failed`,
        );
      }
    }
  }
}

function truthy(rule: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw templateError(`rule ${rule} must evaluate to true or false, got ${JSON.stringify(value)}`);
}

/** Rule functions on top of the intrinsics that rules may use. */
function evaluate(expression: unknown, ctx: IntrinsicContext): unknown {
  if (Array.isArray(expression)) return expression.map((entry) => evaluate(entry, ctx));
  if (!isObject(expression)) return expression;
  const [fn, ...others] = Object.keys(expression);
  if (fn === undefined || others.length > 0) return resolveValue(expression, ctx);
  const argument = expression[fn];
  const operands = () => (Array.isArray(argument) ? argument.map((entry) => evaluate(entry, ctx)) : []);
  switch (fn) {
    case 'Fn::Contains': {
      const [list, value] = operands();
      return asList(fn, list).some((entry) => same(entry, value));
    }
    case 'Fn::EachMemberEquals': {
      const [list, value] = operands();
      return asList(fn, list).every((entry) => same(entry, value));
    }
    case 'Fn::EachMemberIn': {
      const [list, allowed] = operands();
      return asList(fn, list).every((entry) =>
        asList(fn, allowed).some((candidate) => same(entry, candidate)),
      );
    }
    case 'Fn::Equals': {
      const [left, right] = operands();
      return same(left, right);
    }
    case 'Fn::And':
      return operands().every((value) => truthy(fn, value));
    case 'Fn::Or':
      return operands().some((value) => truthy(fn, value));
    case 'Fn::Not':
      return !truthy(fn, operands()[0]);
    case 'Fn::RefAll':
    case 'Fn::ValueOf':
    case 'Fn::ValueOfAll':
      throw templateError(
        `${fn} in Rules is not supported by the local AWS (it needs account resource lookups)`,
      );
    default:
      return resolveValue(expression, ctx);
  }
}

function asList(fn: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw templateError(`${fn} expects a list, got ${JSON.stringify(value)}`);
}

const same = (left: unknown, right: unknown) => String(left) === String(right);
