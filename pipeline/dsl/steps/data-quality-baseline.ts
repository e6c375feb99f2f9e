import type { ProcessingResources, ProcessingStoppingCondition } from '@aws-sdk/client-sagemaker';

import { join, type Value } from '../expressions';
import type { Pipelined } from '../pipelined';
import type { CacheOptions, RetryOptions, StepOptions } from '../step';
import { processingInput, processingOutput, ProcessingStep } from './processing';

const CODE_DIR = '/opt/ml/processing/input/code';
const DATASET_DIR = '/opt/ml/processing/input/baseline_dataset_input';
const OUTPUT_DIR = '/opt/ml/processing/output';

export interface DataQualityBaselineStepProps extends StepOptions, RetryOptions, CacheOptions {
  /** A Python processing image with pandas (the scikit-learn image). */
  readonly imageUri: Value<string>;
  /** S3 URI of pipeline/scripts/monitor/analyzer.py (an asset). */
  readonly analyzerScript: Value<string>;
  /** S3 URI of the dataset to baseline: headerless CSV. */
  readonly dataset: Value<string>;
  /** Where statistics.json and constraints.json are written. */
  readonly output: Value<string>;
  readonly roleArn: Value<string>;
  readonly resources: Pipelined<ProcessingResources>;
  readonly stoppingCondition?: ProcessingStoppingCondition;
  /** Leading columns that are not endpoint input (e.g. 1 for a label first); default 0. */
  readonly skipLeadingColumns?: number;
}

/**
 * Model Monitor's data-quality baseline (statistics.json + constraints.json, columns `_c0`, `_c1`, ...)
 * computed by the project's analyzer as an ordinary processing job, so it runs on any account and on the
 * local AWS alike. `statistics` and `constraints` are the files' S3 URIs for DriftCheckBaselines.
 */
export class DataQualityBaselineStep extends ProcessingStep<'baseline'> {
  readonly statistics: Value<string>;
  readonly constraints: Value<string>;

  constructor(name: string, props: DataQualityBaselineStepProps) {
    super(name, {
      ...props,
      arguments: {
        ProcessingResources: props.resources,
        AppSpecification: {
          ImageUri: props.imageUri,
          ContainerEntrypoint: ['python3', `${CODE_DIR}/analyzer.py`],
        },
        Environment: {
          dataset_format: JSON.stringify({ csv: { header: false } }),
          dataset_source: DATASET_DIR,
          output_path: OUTPUT_DIR,
          skip_leading_columns: String(props.skipLeadingColumns ?? 0),
        },
        RoleArn: props.roleArn,
        ProcessingInputs: [
          processingInput({
            name: 'baseline_dataset_input',
            source: props.dataset,
            destination: DATASET_DIR,
          }),
          processingInput({ name: 'code', source: props.analyzerScript, destination: CODE_DIR }),
        ],
        ProcessingOutputConfig: {
          Outputs: [processingOutput({ name: 'baseline', source: OUTPUT_DIR, destination: props.output })],
        },
        ...(props.stoppingCondition ? { StoppingCondition: props.stoppingCondition } : {}),
      },
    });
    const folder = this.properties.ProcessingOutputConfig.Outputs.baseline.S3Output.S3Uri;
    this.statistics = join('/', [folder, 'statistics.json']);
    this.constraints = join('/', [folder, 'constraints.json']);
  }
}
