import type { CreateTrainingJobRequest } from '@aws-sdk/client-sagemaker';

import type { Pipelined } from '../pipelined';
import { buildProperties, TRAINING_PROPERTIES, type PropertiesOf } from '../properties';
import { Step, type CacheOptions, type RetryOptions, type StepOptions } from '../step';

/** CreateTrainingJob minus TrainingJobName. */
export type TrainingArguments = Pipelined<Omit<CreateTrainingJobRequest, 'TrainingJobName'>>;

export interface TrainingStepProps extends StepOptions, RetryOptions, CacheOptions {
  readonly arguments: TrainingArguments;
}

export type TrainingProperties = PropertiesOf<typeof TRAINING_PROPERTIES>;

/** A training job; e.g. `properties.ModelArtifacts.S3ModelArtifacts` is the model.tar.gz it wrote. */
export class TrainingStep extends Step<TrainingProperties> {
  readonly type = 'Training';
  readonly properties: TrainingProperties;
  private readonly args: TrainingArguments;

  constructor(name: string, props: TrainingStepProps) {
    super(name, props);
    this.args = props.arguments;
    this.properties = buildProperties(this, TRAINING_PROPERTIES, []);
  }

  protected arguments(): unknown {
    return this.args;
  }
}
