import { evaluateConditions } from '../conditions';
import { conditionArguments } from '../definition';
import type { StepHandler } from './types';

/** Condition step: the outcome decides which branch runs; the other branch's steps never start. */
export const conditionStep: StepHandler = async (context) => {
  const outcome = (await evaluateConditions(conditionArguments(context.step).Conditions, context.resolve))
    ? 'True'
    : 'False';
  return { metadata: { Condition: { Outcome: outcome } }, properties: { Outcome: outcome } };
};
