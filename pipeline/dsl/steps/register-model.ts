import type { CreateModelPackageInput } from '@aws-sdk/client-sagemaker';

import type { Pipelined } from '../pipelined';
import { buildProperties, REGISTER_MODEL_PROPERTIES, type PropertiesOf } from '../properties';
import { Step, type RetryOptions, type StepOptions } from '../step';

/** CreateModelPackage: group, InferenceSpecification, ModelApprovalStatus, ModelMetrics, ... */
export type RegisterModelArguments = Pipelined<CreateModelPackageInput>;

export interface RegisterModelStepProps extends StepOptions, RetryOptions {
  readonly arguments: RegisterModelArguments;
}

export type RegisterModelProperties = PropertiesOf<typeof REGISTER_MODEL_PROPERTIES>;

/** Registers a model package version; `properties.ModelPackageArn` identifies it. */
export class RegisterModelStep extends Step<RegisterModelProperties> {
  readonly type = 'RegisterModel';
  readonly properties: RegisterModelProperties;
  private readonly args: RegisterModelArguments;

  constructor(name: string, props: RegisterModelStepProps) {
    super(name, props);
    this.args = props.arguments;
    this.properties = buildProperties(this, REGISTER_MODEL_PROPERTIES, []);
  }

  protected arguments(): unknown {
    return this.args;
  }
}
