import type { Value } from '../expressions';
import { FAIL_PROPERTIES } from '../properties';
import { Step, type StepOptions } from '../step';

export interface FailStepProps extends StepOptions {
  /** What the execution's FailureReason says; often a `join` of literals and run-time values. */
  readonly errorMessage?: Value<string>;
}

/** Stops the execution with status Failed and the given message. */
export class FailStep extends Step<typeof FAIL_PROPERTIES> {
  readonly type = 'Fail';
  readonly properties = FAIL_PROPERTIES;
  private readonly errorMessage: Value<string>;

  constructor(name: string, props: FailStepProps = {}) {
    super(name, props);
    this.errorMessage = props.errorMessage ?? '';
  }

  protected arguments(): unknown {
    return { ErrorMessage: this.errorMessage };
  }
}
