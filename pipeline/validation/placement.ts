import { member } from '../inspect/json-path';
import { BRANCH_MEMBERS, type FlatStep } from '../inspect/steps';
import { issue, type ValidationIssue } from './issue';

/**
 * Step names are unique across the whole pipeline, and a step sits in exactly one place: the top level
 * or one branch of one Condition (a branch step runs only when its branch is taken).
 */
export function checkPlacement(steps: readonly FlatStep[]): ValidationIssue[] {
  const first = new Map<string, FlatStep>();
  return steps.flatMap((step) => {
    if (step.name === undefined) return [];
    const earlier = first.get(step.name);
    if (!earlier) {
      first.set(step.name, step);
      return [];
    }
    if (!earlier.parent && !step.parent) {
      return [
        issue(
          member(step.path, 'Name'),
          `duplicate step name "${step.name}" (also at ${earlier.path}); step names must be unique`,
        ),
      ];
    }
    return [
      issue(
        step.path,
        `step "${step.name}" is placed ${place(step)} and also ${place(earlier)} (${earlier.path}); a step belongs to one place only, the top level or one branch of one condition`,
      ),
    ];
  });
}

function place(step: FlatStep): string {
  return step.parent
    ? `in the ${BRANCH_MEMBERS[step.parent.branch]} of condition "${step.parent.condition}"`
    : 'at the top level';
}
