import { stepEdges, type EdgeKind } from './inspect/edges';
import { flattenSteps, type StepPlacement } from './inspect/steps';

export type { EdgeKind, StepPlacement };

export interface GraphStep {
  readonly name: string;
  readonly type: string;
  /** Set for steps inside a Condition's IfSteps / ElseSteps. */
  readonly parent?: StepPlacement;
}

/** `to` waits for `from`. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

export interface DefinitionGraph {
  /** Every step, nested ones included, in definition order (branch steps right after their condition). */
  readonly steps: readonly GraphStep[];
  /** Unique edges: data (reads properties), depends (DependsOn), branch (condition → branch step). */
  readonly edges: readonly GraphEdge[];
}

/** The DAG of a definition, for rendering (Mermaid) and executing. Validate the definition first. */
export function definitionGraph(definition: unknown): DefinitionGraph {
  const flat = flattenSteps(definition);
  const steps = flat.flatMap((step): GraphStep[] =>
    step.name === undefined
      ? []
      : [{ name: step.name, type: step.type ?? 'Unknown', ...(step.parent && { parent: step.parent }) }],
  );
  const seen = new Set<string>();
  const edges = stepEdges(flat).flatMap(({ from, to, kind }): GraphEdge[] => {
    const key = JSON.stringify([from, to, kind]);
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ from, to, kind }];
  });
  return { steps, edges };
}
