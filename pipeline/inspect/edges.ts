import { item, member } from './json-path';
import { scanStep } from './step-references';
import type { FlatStep } from './steps';

export type EdgeKind = 'data' | 'depends' | 'branch';

/** `to` waits for `from`: it reads `from`'s properties (data), lists it in DependsOn, or sits in its branch. */
export interface StepEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** Where the edge is written: the Get, the DependsOn entry or the branch entry. */
  readonly path: string;
  /** For data edges, the Get expression. */
  readonly expression?: string;
}

/** Every edge between named steps; references to steps that do not exist are left out. */
export function stepEdges(steps: readonly FlatStep[]): StepEdge[] {
  const names = new Set(steps.flatMap((step) => (step.name === undefined ? [] : [step.name])));
  return steps.flatMap((step) => (step.name === undefined ? [] : edgesInto(step, step.name, names)));
}

function edgesInto(flat: FlatStep, to: string, names: ReadonlySet<string>): StepEdge[] {
  const data = scanStep(flat).references.flatMap((reference): StepEdge[] =>
    reference.target.namespace === 'Steps' && names.has(reference.target.step)
      ? [
          {
            from: reference.target.step,
            to,
            kind: 'data',
            path: reference.path,
            expression: reference.expression,
          },
        ]
      : [],
  );
  const dependsOn = Array.isArray(flat.step.DependsOn) ? flat.step.DependsOn : [];
  const depends = dependsOn.flatMap((from, index): StepEdge[] =>
    typeof from === 'string' && names.has(from)
      ? [{ from, to, kind: 'depends', path: item(member(flat.path, 'DependsOn'), index) }]
      : [],
  );
  const branch: StepEdge[] = flat.parent
    ? [{ from: flat.parent.condition, to, kind: 'branch', path: flat.path }]
    : [];
  return [...data, ...depends, ...branch];
}
