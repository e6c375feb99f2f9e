import { validateDefinition, type ValidationIssue } from '../validate';
import { Execution, toWireValue, type Value } from './expressions';
import type { Parameter } from './parameters';
import type { Step } from './step';
import { ConditionStep } from './steps/condition';
import { DEFINITION_VERSION, type PipelineDefinition, type PipelineExperimentConfigDefinition } from './wire';

export interface ExperimentConfig {
  readonly experimentName: Value<string>;
  readonly trialName: Value<string>;
}

export interface PipelineProps {
  readonly parameters?: readonly Parameter[];
  /** Top-level steps. Steps they read from or depend on are added when not placed anywhere else. */
  readonly steps: readonly Step[];
  /** Default, as the Python SDK: experiment = pipeline name, trial = execution id. `false` leaves it out. */
  readonly experimentConfig?: ExperimentConfig | false;
}

const DEFAULT_EXPERIMENT_CONFIG: ExperimentConfig = {
  experimentName: Execution.PipelineName,
  trialName: Execution.PipelineExecutionId,
};

export class PipelineDefinitionError extends Error {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(
      `the pipeline definition is invalid:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`,
    );
  }
}

/** A pipeline: parameters and steps, written out as the service's definition JSON by `toDefinition()`. */
export class Pipeline {
  constructor(private readonly props: PipelineProps) {}

  /** The top-level steps in dependency order: given ones plus unplaced upstream steps. */
  topLevelSteps(): readonly Step[] {
    const inBranches = new Set(this.props.steps.flatMap(branchDescendants));
    const ordered: Step[] = [];
    const visited = new Set<Step>();
    const visit = (step: Step): void => {
      if (visited.has(step) || inBranches.has(step)) return;
      visited.add(step);
      [step, ...branchDescendants(step)].flatMap((member) => member.upstreamSteps()).forEach(visit);
      ordered.push(step);
    };
    this.props.steps.forEach(visit);
    return ordered;
  }

  /** The definition JSON (Version 2020-12-01). Throws PipelineDefinitionError listing every problem. */
  toDefinition(): PipelineDefinition {
    const experiment = this.props.experimentConfig ?? DEFAULT_EXPERIMENT_CONFIG;
    const definition: PipelineDefinition = {
      Version: DEFINITION_VERSION,
      Metadata: {},
      Parameters: (this.props.parameters ?? []).map((parameter) => parameter.toDefinition()),
      ...(experiment && { PipelineExperimentConfig: experimentConfigDefinition(experiment) }),
      Steps: this.topLevelSteps().map((step) => step.toWire()),
    };
    const issues = validateDefinition(definition);
    if (issues.length > 0) throw new PipelineDefinitionError(issues);
    return definition;
  }
}

function branchDescendants(step: Step): Step[] {
  if (!(step instanceof ConditionStep)) return [];
  return [...step.ifSteps, ...step.elseSteps].flatMap((child) => [child, ...branchDescendants(child)]);
}

function experimentConfigDefinition(config: ExperimentConfig): PipelineExperimentConfigDefinition {
  return { ExperimentName: toWireValue(config.experimentName), TrialName: toWireValue(config.trialName) };
}
