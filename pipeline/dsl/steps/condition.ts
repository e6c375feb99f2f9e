import type { Condition } from '../conditions';
import { CONDITION_PROPERTIES, buildProperties, type PropertiesOf } from '../properties';
import { Step, type StepOptions } from '../step';

export interface ConditionStepProps extends StepOptions {
  /** ANDed: the if-branch runs when every condition holds. */
  readonly conditions: readonly Condition[];
  readonly ifSteps?: readonly Step[];
  readonly elseSteps?: readonly Step[];
}

export type ConditionProperties = PropertiesOf<typeof CONDITION_PROPERTIES>;

/** Runs `ifSteps` or `elseSteps`; a step placed in a branch runs only when that branch is taken. */
export class ConditionStep extends Step<ConditionProperties> {
  readonly type = 'Condition';
  readonly properties: ConditionProperties;
  readonly conditions: readonly Condition[];
  readonly ifSteps: readonly Step[];
  readonly elseSteps: readonly Step[];

  constructor(name: string, props: ConditionStepProps) {
    super(name, props);
    if (props.conditions.length === 0) throw new Error(`condition step ${name}: give at least one condition`);
    this.conditions = props.conditions;
    this.ifSteps = props.ifSteps ?? [];
    this.elseSteps = props.elseSteps ?? [];
    this.properties = buildProperties(this, CONDITION_PROPERTIES, []);
  }

  /** The branch steps are written in full inside the condition, as the service expects. */
  protected arguments(): unknown {
    return {
      Conditions: this.conditions,
      IfSteps: this.ifSteps.map((step) => step.toWire()),
      ElseSteps: this.elseSteps.map((step) => step.toWire()),
    };
  }

  /** Only the conditions read data; the branch steps are children, not inputs. */
  protected override dataDependencies(): readonly Step[] {
    return this.conditions.flatMap((condition) => condition.referencedSteps());
  }
}
