import { isObject, type JsonObject } from './json';
import { item, member, ROOT } from './json-path';

export type Branch = 'if' | 'else';

export interface StepPlacement {
  /** The Condition step whose branch holds the step. */
  readonly condition: string;
  readonly branch: Branch;
}

/** One step of a definition, wherever it sits (top level or inside Condition branches). */
export interface FlatStep {
  readonly name: string | undefined;
  readonly type: string | undefined;
  /** JSON path of the step object, e.g. `$.Steps[3].Arguments.IfSteps[0]`. */
  readonly path: string;
  readonly step: JsonObject;
  readonly parent?: StepPlacement;
}

export const BRANCH_MEMBERS: Readonly<Record<Branch, 'IfSteps' | 'ElseSteps'>> = {
  if: 'IfSteps',
  else: 'ElseSteps',
};

/** Every step object in definition order, Condition branch steps right after their condition. Lenient: skips what is not an object. */
export function flattenSteps(definition: unknown): FlatStep[] {
  if (!isObject(definition) || !Array.isArray(definition.Steps)) return [];
  return flattenList(definition.Steps, member(ROOT, 'Steps'), undefined);
}

function flattenList(steps: readonly unknown[], path: string, parent: StepPlacement | undefined): FlatStep[] {
  return steps.flatMap((step, index) => (isObject(step) ? flattenStep(step, item(path, index), parent) : []));
}

function flattenStep(step: JsonObject, path: string, parent: StepPlacement | undefined): FlatStep[] {
  const flat: FlatStep = {
    name: typeof step.Name === 'string' ? step.Name : undefined,
    type: typeof step.Type === 'string' ? step.Type : undefined,
    path,
    step,
    ...(parent && { parent }),
  };
  return [flat, ...branchChildren(flat)];
}

function branchChildren(flat: FlatStep): FlatStep[] {
  const args = flat.step.Arguments;
  if (flat.type !== 'Condition' || flat.name === undefined || !isObject(args)) return [];
  const condition = flat.name;
  return (['if', 'else'] as const).flatMap((branch) => {
    const list = args[BRANCH_MEMBERS[branch]];
    const listPath = member(member(flat.path, 'Arguments'), BRANCH_MEMBERS[branch]);
    return Array.isArray(list) ? flattenList(list, listPath, { condition, branch }) : [];
  });
}
