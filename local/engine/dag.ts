import { conditionArguments, type PipelineDefinition, type StepDefinition } from './definition';
import { referencedSteps } from './expressions';

/** A step of the flattened DAG: Condition branches are lifted to the top level and remember their branch. */
export interface PlannedStep {
  readonly definition: StepDefinition;
  /** Steps that must finish before this one starts: DependsOn, property references, the owning Condition. */
  readonly dependencies: ReadonlySet<string>;
  /** For a step inside IfSteps/ElseSteps: the Condition step and the outcome that runs it. */
  readonly branch?: { readonly condition: string; readonly outcome: boolean };
}

/** Flattens the definition into steps with their dependencies, in definition order. */
export function planSteps(definition: PipelineDefinition): Map<string, PlannedStep> {
  const plan = new Map<string, PlannedStep>();
  addSteps(plan, definition.Steps, undefined);
  for (const [name, planned] of plan) {
    const unknown = [...planned.dependencies].filter((dependency) => !plan.has(dependency));
    if (unknown.length > 0) {
      throw new Error(`step ${name} depends on ${unknown.join(', ')}, which the definition does not contain`);
    }
  }
  return plan;
}

function addSteps(
  plan: Map<string, PlannedStep>,
  steps: readonly StepDefinition[],
  branch: PlannedStep['branch'],
): void {
  for (const step of steps) {
    if (plan.has(step.Name)) throw new Error(`step name ${step.Name} is used more than once`);
    const dependencies = new Set(step.DependsOn ?? []);
    if (branch) dependencies.add(branch.condition);
    const inputs = step.Type === 'Condition' ? conditionArguments(step).Conditions : stepInputs(step);
    for (const name of referencedSteps(inputs)) dependencies.add(name);
    dependencies.delete(step.Name);
    plan.set(step.Name, { definition: step, dependencies, ...(branch ? { branch } : {}) });
    if (step.Type === 'Condition') {
      const args = conditionArguments(step);
      addSteps(plan, args.IfSteps ?? [], { condition: step.Name, outcome: true });
      addSteps(plan, args.ElseSteps ?? [], { condition: step.Name, outcome: false });
    }
  }
}

/** Everything in a step that may hold expressions (arguments and top-level extras like FunctionArn). */
function stepInputs(step: StepDefinition): unknown {
  const { Name: _name, Type: _type, DependsOn: _dependsOn, ...rest } = step;
  return rest;
}
