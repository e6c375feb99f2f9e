import type { CreateModelInput } from '@aws-sdk/client-sagemaker';

import type { Pipelined } from '../pipelined';
import { buildProperties, MODEL_PROPERTIES, type PropertiesOf } from '../properties';
import { Step, type RetryOptions, type StepOptions } from '../step';

/** CreateModel minus ModelName (the service names the model). */
export type ModelArguments = Pipelined<Omit<CreateModelInput, 'ModelName'>>;

export interface ModelStepProps extends StepOptions, RetryOptions {
  readonly arguments: ModelArguments;
}

export type ModelProperties = PropertiesOf<typeof MODEL_PROPERTIES>;

/** Creates a SageMaker model; `properties.ModelName` is the name the service gave it. */
export class ModelStep extends Step<ModelProperties> {
  readonly type = 'Model';
  readonly properties: ModelProperties;
  private readonly args: ModelArguments;

  constructor(name: string, props: ModelStepProps) {
    super(name, props);
    this.args = props.arguments;
    this.properties = buildProperties(this, MODEL_PROPERTIES, []);
  }

  protected arguments(): unknown {
    return this.args;
  }
}
