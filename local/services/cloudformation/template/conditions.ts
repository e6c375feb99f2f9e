import { templateError } from '../errors';
import { conditionOperand, type IntrinsicContext } from './intrinsics';
import type { Template } from './types';

/**
 * Evaluates the template's Conditions lazily (a condition may use another), each once, and rejects cycles and
 * references to resources, which conditions cannot see.
 */
export function evaluateConditions(
  template: Template,
  base: Omit<IntrinsicContext, 'condition' | 'ref' | 'getAtt'>,
): Record<string, boolean> {
  const results: Record<string, boolean> = {};
  const evaluating = new Set<string>();
  const ctx: IntrinsicContext = {
    ...base,
    condition,
    ref: (name) => {
      throw templateError(
        `Unresolved dependencies [${name}]. Cannot reference resources in the Conditions block of the template`,
      );
    },
    getAtt: (name) => {
      throw templateError(`Cannot use Fn::GetAtt on ${name} in the Conditions block of the template`);
    },
  };
  function condition(name: string): boolean {
    const known = results[name];
    if (known !== undefined) return known;
    if (!(name in template.Conditions)) throw templateError(`Unresolved condition dependency ${name}`);
    if (evaluating.has(name))
      throw templateError(`Circular dependency between conditions: [${[...evaluating].join(', ')}]`);
    evaluating.add(name);
    const value = conditionOperand(`Condition ${name}`, template.Conditions[name], ctx);
    evaluating.delete(name);
    results[name] = value;
    return value;
  }
  for (const name of Object.keys(template.Conditions)) condition(name);
  return results;
}
