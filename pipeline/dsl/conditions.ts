import { stepsOf, toWireValue, type DslNode, type Value } from './expressions';
import type { Step } from './step';
import type { ComparisonType, ConditionDefinition } from './wire';

/** A test a Condition step evaluates; the entries of a step's `conditions` are ANDed. */
export abstract class Condition implements DslNode {
  abstract toWire(): ConditionDefinition;
  abstract referencedSteps(): readonly Step[];
}

class Comparison extends Condition {
  constructor(
    readonly type: ComparisonType,
    readonly left: Value,
    readonly right: Value,
  ) {
    super();
  }

  toWire(): ConditionDefinition {
    return { Type: this.type, LeftValue: toWireValue(this.left), RightValue: toWireValue(this.right) };
  }

  referencedSteps(): readonly Step[] {
    return stepsOf([this.left, this.right]);
  }
}

class InValues extends Condition {
  constructor(
    readonly query: Value,
    readonly values: readonly Value[],
  ) {
    super();
  }

  toWire(): ConditionDefinition {
    return { Type: 'In', QueryValue: toWireValue(this.query), Values: this.values.map(toWireValue) };
  }

  referencedSteps(): readonly Step[] {
    return stepsOf([this.query, ...this.values]);
  }
}

class Negation extends Condition {
  constructor(readonly condition: Condition) {
    super();
  }

  toWire(): ConditionDefinition {
    return { Type: 'Not', Condition: this.condition.toWire() };
  }

  referencedSteps(): readonly Step[] {
    return this.condition.referencedSteps();
  }
}

class Disjunction extends Condition {
  constructor(readonly conditions: readonly Condition[]) {
    super();
  }

  toWire(): ConditionDefinition {
    return { Type: 'Or', Conditions: this.conditions.map((condition) => condition.toWire()) };
  }

  referencedSteps(): readonly Step[] {
    return this.conditions.flatMap((condition) => condition.referencedSteps());
  }
}

export const equals = (left: Value, right: Value): Condition => new Comparison('Equals', left, right);
export const greaterThan = (left: Value, right: Value): Condition =>
  new Comparison('GreaterThan', left, right);
export const greaterThanOrEqualTo = (left: Value, right: Value): Condition =>
  new Comparison('GreaterThanOrEqualTo', left, right);
export const lessThan = (left: Value, right: Value): Condition => new Comparison('LessThan', left, right);
export const lessThanOrEqualTo = (left: Value, right: Value): Condition =>
  new Comparison('LessThanOrEqualTo', left, right);

/** `In`: true when `query` equals one of `values`. */
export function isIn(query: Value, values: readonly Value[]): Condition {
  if (values.length === 0) throw new Error('isIn: values must not be empty');
  return new InValues(query, values);
}

export const not = (condition: Condition): Condition => new Negation(condition);

export function or(...conditions: Condition[]): Condition {
  if (conditions.length === 0) throw new Error('or: give at least one condition');
  return new Disjunction(conditions);
}
