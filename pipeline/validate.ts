import { DEFINITION_VERSION } from './dsl/wire';
import { describeJson, isObject, type JsonObject } from './inspect/json';
import { item, member, ROOT } from './inspect/json-path';
import { scanExpressions } from './inspect/references';
import { scanStep } from './inspect/step-references';
import { flattenSteps, type FlatStep } from './inspect/steps';
import { checkCycles } from './validation/cycles';
import { issue, type ValidationIssue } from './validation/issue';
import { checkParameters } from './validation/parameters';
import { checkPlacement } from './validation/placement';
import { checkReferences, type ReferenceContext } from './validation/references';
import { checkStep } from './validation/steps';

export type { ValidationIssue };

/** The service's limit on an inline definition (PipelineDefinition), in characters. */
export const MAX_DEFINITION_CHARACTERS = 1_048_576;

const TOP_LEVEL_MEMBERS = ['Version', 'Metadata', 'Parameters', 'PipelineExperimentConfig', 'Steps'];

/**
 * Every problem in a pipeline definition (ours or the SageMaker Python SDK's), each with its JSON path:
 * structure, names, step types, references (parameters, execution variables, step properties, property
 * files), DependsOn, conditions, step placement in branches, cycles and size. An empty list means valid.
 */
export function validateDefinition(definition: unknown): ValidationIssue[] {
  if (!isObject(definition)) {
    return [issue(ROOT, `a pipeline definition is a JSON object, found ${describeJson(definition)}`)];
  }
  const steps = flattenSteps(definition);
  const stepNames = new Set(steps.flatMap((step) => (step.name === undefined ? [] : [step.name])));
  const context = referenceContext(definition, steps);
  return [
    ...checkTopLevel(definition),
    ...checkParameters(definition.Parameters, member(ROOT, 'Parameters')),
    ...checkExperimentConfig(definition.PipelineExperimentConfig, context),
    ...checkPlacement(steps),
    ...steps.flatMap((step) => checkStep(step, stepNames)),
    ...steps.flatMap((step) => {
      const scan = scanStep(step);
      return [...scan.problems, ...checkReferences(scan.references, context)];
    }),
    ...checkCycles(steps),
  ];
}

function referenceContext(definition: JsonObject, steps: readonly FlatStep[]): ReferenceContext {
  const byName = new Map<string, FlatStep>();
  steps.forEach((step) => step.name !== undefined && !byName.has(step.name) && byName.set(step.name, step));
  const parameters = Array.isArray(definition.Parameters) ? definition.Parameters : [];
  const names = parameters.flatMap((parameter) =>
    isObject(parameter) && typeof parameter.Name === 'string' ? [parameter.Name] : [],
  );
  return { steps: byName, parameters: new Set(names) };
}

function checkTopLevel(definition: JsonObject): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (definition.Version !== DEFINITION_VERSION) {
    issues.push(
      issue(
        member(ROOT, 'Version'),
        `Version must be "${DEFINITION_VERSION}", found ${describeJson(definition.Version)}`,
      ),
    );
  }
  for (const key of Object.keys(definition).filter((key) => !TOP_LEVEL_MEMBERS.includes(key))) {
    issues.push(
      issue(member(ROOT, key), `unknown member "${key}"; a definition has ${TOP_LEVEL_MEMBERS.join(', ')}`),
    );
  }
  if ('Metadata' in definition && !isObject(definition.Metadata)) {
    issues.push(
      issue(
        member(ROOT, 'Metadata'),
        `Metadata must be an object, found ${describeJson(definition.Metadata)}`,
      ),
    );
  }
  issues.push(...checkStepList(definition.Steps));
  const size = JSON.stringify(definition).length;
  if (size > MAX_DEFINITION_CHARACTERS) {
    issues.push(
      issue(
        ROOT,
        `the definition is ${size} characters as JSON; the service accepts at most ${MAX_DEFINITION_CHARACTERS}`,
      ),
    );
  }
  return issues;
}

function checkStepList(steps: unknown): ValidationIssue[] {
  const path = member(ROOT, 'Steps');
  if (!Array.isArray(steps) || steps.length === 0) {
    return [issue(path, `Steps must be a non-empty array of steps, found ${describeJson(steps)}`)];
  }
  return steps.flatMap((step, index) =>
    isObject(step) ? [] : [issue(item(path, index), `a step must be an object, found ${describeJson(step)}`)],
  );
}

function checkExperimentConfig(config: unknown, context: ReferenceContext): ValidationIssue[] {
  const path = member(ROOT, 'PipelineExperimentConfig');
  if (config === undefined) return [];
  if (!isObject(config))
    return [issue(path, `PipelineExperimentConfig must be an object, found ${describeJson(config)}`)];
  const scan = scanExpressions(config, path);
  return [...scan.problems, ...checkReferences(scan.references, context)];
}
