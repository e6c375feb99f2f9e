/** A step as written in a definition, with Condition branches flattened (steps inside them count as steps). */
export interface DefinitionStep {
  readonly Name: string;
  readonly Type: string;
  readonly Arguments?: Record<string, unknown>;
  readonly PropertyFiles?: readonly { PropertyFileName?: string; OutputName?: string; FilePath?: string }[];
}

/** Every step of a parsed definition, including those nested in Condition branches. */
export function flattenDefinitionSteps(definition: unknown): DefinitionStep[] {
  const steps: DefinitionStep[] = [];
  const visit = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (!isRecord(item) || typeof item.Name !== 'string' || typeof item.Type !== 'string') continue;
      steps.push(item as unknown as DefinitionStep);
      if (item.Type === 'Condition' && isRecord(item.Arguments)) {
        visit(item.Arguments.IfSteps);
        visit(item.Arguments.ElseSteps);
      }
    }
  };
  if (isRecord(definition)) visit(definition.Steps);
  return steps;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
