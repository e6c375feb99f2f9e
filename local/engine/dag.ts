import { definitionGraph } from '../../pipeline/graph';
import { flattenSteps } from '../../pipeline/inspect/steps';
import type { PipelineDefinition, StepDefinition } from './definition';

/** A step of the flattened DAG: Condition branches are lifted to the top level and remember their branch. */
export interface PlannedStep {
  readonly definition: StepDefinition;
  /** Steps that must finish before this one starts: DependsOn, property references, the owning Condition. */
  readonly dependencies: ReadonlySet<string>;
  /** For a step inside IfSteps/ElseSteps: the Condition step and the outcome that runs it. */
  readonly branch?: { readonly condition: string; readonly outcome: boolean };
}

/**
 * The definition as steps with their dependencies, in definition order, from the project's definition
 * graph (pipeline/graph.ts). The definition was validated on CreatePipeline/UpdatePipeline.
 */
export function planSteps(definition: PipelineDefinition): Map<string, PlannedStep> {
  const graph = definitionGraph(definition);
  const definitions = new Map(
    flattenSteps(definition).flatMap((flat) =>
      flat.name === undefined ? [] : [[flat.name, flat.step as unknown as StepDefinition] as const],
    ),
  );
  const plan = new Map<string, PlannedStep>();
  for (const step of graph.steps) {
    const stepDefinition = definitions.get(step.name);
    if (!stepDefinition) continue;
    if (plan.has(step.name)) throw new Error(`step name ${step.name} is used more than once`);
    const dependencies = new Set(
      graph.edges.filter((edge) => edge.to === step.name && edge.from !== step.name).map((edge) => edge.from),
    );
    const branch = step.parent
      ? { condition: step.parent.condition, outcome: step.parent.branch === 'if' }
      : undefined;
    plan.set(step.name, { definition: stepDefinition, dependencies, ...(branch ? { branch } : {}) });
  }
  return plan;
}
