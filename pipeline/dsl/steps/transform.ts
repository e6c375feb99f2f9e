import type { CreateTransformJobRequest } from '@aws-sdk/client-sagemaker';

import type { Pipelined } from '../pipelined';
import { buildProperties, TRANSFORM_PROPERTIES, type PropertiesOf } from '../properties';
import { Step, type CacheOptions, type RetryOptions, type StepOptions } from '../step';

/** CreateTransformJob minus TransformJobName. */
export type TransformArguments = Pipelined<Omit<CreateTransformJobRequest, 'TransformJobName'>>;

export interface TransformStepProps extends StepOptions, RetryOptions, CacheOptions {
  readonly arguments: TransformArguments;
}

export type TransformProperties = PropertiesOf<typeof TRANSFORM_PROPERTIES>;

/** A batch transform job; `properties.TransformOutput.S3OutputPath` is where its predictions went. */
export class TransformStep extends Step<TransformProperties> {
  readonly type = 'Transform';
  readonly properties: TransformProperties;
  private readonly args: TransformArguments;

  constructor(name: string, props: TransformStepProps) {
    super(name, props);
    this.args = props.arguments;
    this.properties = buildProperties(this, TRANSFORM_PROPERTIES, []);
  }

  protected arguments(): unknown {
    return this.args;
  }
}
