import {
  ConditionStep,
  DataQualityBaselineStep,
  Execution,
  FailStep,
  join,
  jsonGet,
  LambdaStep,
  lessThanOrEqualTo,
  ModelStep,
  parameter,
  Pipeline,
  processingInput,
  processingOutput,
  ProcessingStep,
  RegisterModelStep,
  TrainingStep,
  type RetryPolicy,
  type Value,
} from './dsl';
import { imageUri, SKLEARN_IMAGE, XGBOOST_IMAGE } from './images';

/**
 * The abalone pipeline: Preprocess → Train → Evaluate → CheckRmse, then RegisterModel, CreateModel and
 * RecordModelName (a Lambda that writes the model name to SSM) when the test RMSE is within the
 * threshold, else RmseTooHigh (Fail). Nothing account-, region- or bucket-specific is built in.
 */

/** Step names, stable: the executor, reports and workflows refer to them. */
export const ABALONE_STEPS = {
  preprocess: 'Preprocess',
  train: 'Train',
  evaluate: 'Evaluate',
  checkRmse: 'CheckRmse',
  registerModel: 'RegisterModel',
  createModel: 'CreateModel',
  recordModelName: 'RecordModelName',
  rmseTooHigh: 'RmseTooHigh',
  baseline: 'DataQualityBaseline',
} as const;

export const MODEL_APPROVAL_STATUSES = ['Approved', 'Rejected', 'PendingManualApproval'] as const;

/** Where the evaluation report's RMSE lives; the condition reads it and the CLI prints it. */
export const RMSE_JSON_PATH = 'regression_metrics.rmse.value';

/** S3 URIs of the uploaded assets (see assets.ts); synth computes them from the local files. */
export interface AbaloneAssets {
  readonly preprocessScript: string;
  readonly evaluateScript: string;
  /** pipeline/scripts/monitor/analyzer.py: computes the data-quality baseline. */
  readonly analyzerScript: string;
  /** The raw abalone CSV: the default of the InputDataUrl parameter. */
  readonly inputData: string;
}

export interface AbaloneOptions {
  readonly region: string;
  /** Role SageMaker jobs and models run as. */
  readonly roleArn: string;
  /** Bucket for step outputs. */
  readonly bucket: string;
  /** Key prefix for step outputs: `s3://<bucket>/<prefix>/<execution id>/<step>/<output>`. */
  readonly prefix: string;
  /** The function that records the model name in SSM (event: model_name, parameter_name). */
  readonly lambdaFunctionArn: string;
  /** Default of the ModelPackageGroupName parameter. */
  readonly modelPackageGroupName: string;
  /** Default of the ModelNameParameter parameter: the SSM parameter the Lambda writes. */
  readonly modelNameParameter: string;
  readonly assets: AbaloneAssets;
  /** Default of the RmseThreshold parameter (default 3.0; a mean predictor scores about 3.4). */
  readonly rmseThreshold?: number;
}

const CODE_DIR = '/opt/ml/processing/input/code';
const INSTANCE_TYPE = 'ml.m5.xlarge';
const VOLUME_SIZE_GB = 30;
const MAX_RUNTIME_SECONDS = 3600;
const DEFAULT_RMSE_THRESHOLD = 3.0;
const CSV = 'text/csv';

/** Transient SageMaker capacity and service errors are retried; the step's own failures are not. */
const JOB_RETRIES: readonly RetryPolicy[] = [
  {
    exceptionTypes: ['SageMaker.CAPACITY_ERROR', 'SageMaker.JOB_INTERNAL_ERROR', 'Step.THROTTLING'],
    intervalSeconds: 10,
    backoffRate: 2,
    maxAttempts: 3,
  },
];

function abaloneParameters(options: AbaloneOptions) {
  return {
    processingInstanceType: parameter.string('ProcessingInstanceType', { default: INSTANCE_TYPE }),
    processingInstanceCount: parameter.integer('ProcessingInstanceCount', 1),
    trainingInstanceType: parameter.string('TrainingInstanceType', { default: INSTANCE_TYPE }),
    trainingInstanceCount: parameter.integer('TrainingInstanceCount', 1),
    inputDataUrl: parameter.string('InputDataUrl', { default: options.assets.inputData }),
    splitSeed: parameter.integer('SplitSeed', 42),
    maxDepth: parameter.integer('MaxDepth', 5),
    numRound: parameter.integer('NumRound', 50),
    rmseThreshold: parameter.float('RmseThreshold', options.rmseThreshold ?? DEFAULT_RMSE_THRESHOLD),
    modelApprovalStatus: parameter.string('ModelApprovalStatus', {
      default: 'PendingManualApproval',
      enumValues: MODEL_APPROVAL_STATUSES,
    }),
    modelPackageGroupName: parameter.string('ModelPackageGroupName', {
      default: options.modelPackageGroupName,
    }),
    modelNameParameter: parameter.string('ModelNameParameter', { default: options.modelNameParameter }),
  };
}

type AbaloneParameters = ReturnType<typeof abaloneParameters>;

/** What every step builder needs: the options, the parameters and the region's image URIs. */
interface BuildContext {
  readonly options: AbaloneOptions;
  readonly p: AbaloneParameters;
  readonly sklearnImage: string;
  readonly xgboostImage: string;
}

export function buildAbalonePipeline(options: AbaloneOptions): Pipeline {
  const p = abaloneParameters(options);
  const context: BuildContext = {
    options,
    p,
    sklearnImage: imageUri(SKLEARN_IMAGE, options.region),
    xgboostImage: imageUri(XGBOOST_IMAGE, options.region),
  };
  const preprocess = preprocessStep(context);
  const train = trainStep(context, preprocess);
  const evaluate = evaluateStep(context, preprocess, train);
  const baseline = baselineStep(context, preprocess);
  return new Pipeline({
    parameters: Object.values(p),
    steps: [preprocess, train, evaluate, qualityGate(context, train, evaluate, baseline), baseline],
  });
}

/** `s3://<bucket>/<prefix>/<execution id>/<step>/<output>`, evaluated per execution. */
function executionOutput(options: AbaloneOptions, step: string, output: string): Value<string> {
  return join('/', [
    's3:/',
    options.bucket,
    ...prefixParts(options.prefix),
    Execution.PipelineExecutionId,
    step,
    output,
  ]);
}

function processingCluster({ p }: BuildContext) {
  return {
    ClusterConfig: {
      InstanceType: p.processingInstanceType,
      InstanceCount: p.processingInstanceCount,
      VolumeSizeInGB: VOLUME_SIZE_GB,
    },
  };
}

function preprocessStep(context: BuildContext) {
  const { options, p } = context;
  return new ProcessingStep(ABALONE_STEPS.preprocess, {
    description: 'One-hot encodes Sex and splits the data 70/15/15 into train, validation and test CSVs.',
    retryPolicies: JOB_RETRIES,
    arguments: {
      ProcessingResources: processingCluster(context),
      AppSpecification: {
        ImageUri: context.sklearnImage,
        ContainerEntrypoint: ['python3', `${CODE_DIR}/preprocess.py`],
        ContainerArguments: ['--seed', p.splitSeed.asString()],
      },
      RoleArn: options.roleArn,
      ProcessingInputs: [
        processingInput({
          name: 'input',
          source: p.inputDataUrl,
          destination: '/opt/ml/processing/input/data',
        }),
        processingInput({ name: 'code', source: options.assets.preprocessScript, destination: CODE_DIR }),
      ],
      ProcessingOutputConfig: {
        Outputs: (['train', 'validation', 'test'] as const).map((name) =>
          processingOutput({
            name,
            source: `/opt/ml/processing/${name}`,
            destination: executionOutput(options, ABALONE_STEPS.preprocess, name),
          }),
        ),
      },
      StoppingCondition: { MaxRuntimeInSeconds: MAX_RUNTIME_SECONDS },
    },
  });
}

type PreprocessStep = ReturnType<typeof preprocessStep>;

function trainStep({ options, p, xgboostImage }: BuildContext, preprocess: PreprocessStep) {
  const csvChannel = (name: 'train' | 'validation') => ({
    ChannelName: name,
    ContentType: CSV,
    DataSource: {
      S3DataSource: {
        S3DataType: 'S3Prefix' as const,
        S3Uri: preprocess.properties.ProcessingOutputConfig.Outputs[name].S3Output.S3Uri,
        S3DataDistributionType: 'FullyReplicated' as const,
      },
    },
  });
  return new TrainingStep(ABALONE_STEPS.train, {
    description:
      'Trains the built-in XGBoost 1.7-1 algorithm (reg:squarederror) on the train and validation CSVs.',
    retryPolicies: JOB_RETRIES,
    arguments: {
      AlgorithmSpecification: { TrainingImage: xgboostImage, TrainingInputMode: 'File' },
      RoleArn: options.roleArn,
      InputDataConfig: [csvChannel('train'), csvChannel('validation')],
      OutputDataConfig: { S3OutputPath: executionOutput(options, ABALONE_STEPS.train, 'model') },
      ResourceConfig: {
        InstanceType: p.trainingInstanceType,
        InstanceCount: p.trainingInstanceCount,
        VolumeSizeInGB: VOLUME_SIZE_GB,
      },
      StoppingCondition: { MaxRuntimeInSeconds: MAX_RUNTIME_SECONDS },
      HyperParameters: {
        max_depth: p.maxDepth.asString(),
        eta: '0.2',
        gamma: '4',
        min_child_weight: '6',
        subsample: '0.7',
        num_round: p.numRound.asString(),
        objective: 'reg:squarederror',
      },
    },
  });
}

function evaluateStep(context: BuildContext, preprocess: PreprocessStep, train: TrainingStep) {
  const { options } = context;
  return new ProcessingStep(ABALONE_STEPS.evaluate, {
    description: 'Scores the model on the test split and writes evaluation.json (RMSE, MSE, MAE, R²).',
    retryPolicies: JOB_RETRIES,
    arguments: {
      ProcessingResources: processingCluster(context),
      // The XGBoost image, because the scikit-learn image has no xgboost library to load the model with.
      AppSpecification: {
        ImageUri: context.xgboostImage,
        ContainerEntrypoint: ['python3', `${CODE_DIR}/evaluate.py`],
      },
      RoleArn: options.roleArn,
      ProcessingInputs: [
        processingInput({
          name: 'model',
          source: train.properties.ModelArtifacts.S3ModelArtifacts,
          destination: '/opt/ml/processing/model',
        }),
        processingInput({
          name: 'test',
          source: preprocess.properties.ProcessingOutputConfig.Outputs.test.S3Output.S3Uri,
          destination: '/opt/ml/processing/test',
        }),
        processingInput({ name: 'code', source: options.assets.evaluateScript, destination: CODE_DIR }),
      ],
      ProcessingOutputConfig: {
        Outputs: [
          processingOutput({
            name: 'evaluation',
            source: '/opt/ml/processing/evaluation',
            destination: executionOutput(options, ABALONE_STEPS.evaluate, 'evaluation'),
          }),
        ],
      },
      StoppingCondition: { MaxRuntimeInSeconds: MAX_RUNTIME_SECONDS },
    },
    propertyFiles: [{ name: 'EvaluationReport', outputName: 'evaluation', filePath: 'evaluation.json' }],
  });
}

type EvaluateStep = ReturnType<typeof evaluateStep>;

/**
 * The data-quality baseline of the endpoint's input: the training features without the label, columns named
 * `_c0`.. as Model Monitor names a headerless capture, so a monitoring run compares like with like.
 */
function baselineStep(context: BuildContext, preprocess: PreprocessStep): DataQualityBaselineStep {
  const { options } = context;
  return new DataQualityBaselineStep(ABALONE_STEPS.baseline, {
    description:
      "Model Monitor's statistics.json and constraints.json of the training features (the drift baseline).",
    retryPolicies: JOB_RETRIES,
    imageUri: context.sklearnImage,
    analyzerScript: options.assets.analyzerScript,
    dataset: preprocess.properties.ProcessingOutputConfig.Outputs.train.S3Output.S3Uri,
    output: executionOutput(options, ABALONE_STEPS.baseline, 'baseline'),
    roleArn: options.roleArn,
    resources: processingCluster(context),
    stoppingCondition: { MaxRuntimeInSeconds: MAX_RUNTIME_SECONDS },
    skipLeadingColumns: 1,
  });
}

/** CheckRmse: register, create and record the model when the RMSE is within the threshold, else fail. */
function qualityGate(
  context: BuildContext,
  train: TrainingStep,
  evaluate: EvaluateStep,
  baseline: DataQualityBaselineStep,
): ConditionStep {
  const rmse = jsonGet<number>(evaluate.propertyFiles.EvaluationReport, RMSE_JSON_PATH);
  const registerModel = registerModelStep(context, train, evaluate, baseline);
  const createModel = createModelStep(context, train);
  const recordModelName = new LambdaStep(ABALONE_STEPS.recordModelName, {
    description: 'Records the model name in SSM Parameter Store for the deploy stage.',
    dependsOn: [registerModel],
    functionArn: context.options.lambdaFunctionArn,
    arguments: { model_name: createModel.properties.ModelName, parameter_name: context.p.modelNameParameter },
    outputParameters: [
      { name: 'model_name', type: 'String' },
      { name: 'parameter_version', type: 'Integer' },
    ],
  });
  const rmseTooHigh = new FailStep(ABALONE_STEPS.rmseTooHigh, {
    description: 'Stops the execution when the model misses the quality gate.',
    errorMessage: join(' ', [
      'Quality gate failed: test RMSE',
      rmse,
      'is above RmseThreshold',
      context.p.rmseThreshold,
    ]),
  });
  return new ConditionStep(ABALONE_STEPS.checkRmse, {
    description: 'Quality gate: test RMSE <= RmseThreshold.',
    conditions: [lessThanOrEqualTo(rmse, context.p.rmseThreshold)],
    ifSteps: [registerModel, createModel, recordModelName],
    elseSteps: [rmseTooHigh],
  });
}

function registerModelStep(
  { p, xgboostImage }: BuildContext,
  train: TrainingStep,
  evaluate: EvaluateStep,
  baseline: DataQualityBaselineStep,
) {
  const report = evaluate.properties.ProcessingOutputConfig.Outputs.evaluation.S3Output.S3Uri;
  const json = (uri: Value<string>) => ({ ContentType: 'application/json', S3Uri: uri });
  const dataQuality = { Statistics: json(baseline.statistics), Constraints: json(baseline.constraints) };
  return new RegisterModelStep(ABALONE_STEPS.registerModel, {
    description:
      'Registers the model in the model package group with its evaluation report and data-quality baseline.',
    retryPolicies: JOB_RETRIES,
    arguments: {
      ModelPackageGroupName: p.modelPackageGroupName,
      ModelApprovalStatus: p.modelApprovalStatus,
      CustomerMetadataProperties: { PipelineExecutionArn: Execution.PipelineExecutionArn },
      ModelMetrics: {
        ModelQuality: { Statistics: json(join('/', [report, 'evaluation.json'])) },
        ModelDataQuality: dataQuality,
      },
      DriftCheckBaselines: { ModelDataQuality: dataQuality },
      InferenceSpecification: {
        Containers: [{ Image: xgboostImage, ModelDataUrl: train.properties.ModelArtifacts.S3ModelArtifacts }],
        SupportedContentTypes: [CSV],
        SupportedResponseMIMETypes: [CSV],
        SupportedRealtimeInferenceInstanceTypes: ['ml.t2.medium', 'ml.m5.large', INSTANCE_TYPE],
        SupportedTransformInstanceTypes: [INSTANCE_TYPE],
      },
    },
  });
}

function createModelStep({ options, xgboostImage }: BuildContext, train: TrainingStep) {
  return new ModelStep(ABALONE_STEPS.createModel, {
    description: 'Creates a SageMaker model from the artifact, served by the XGBoost container.',
    retryPolicies: JOB_RETRIES,
    arguments: {
      ExecutionRoleArn: options.roleArn,
      PrimaryContainer: {
        Image: xgboostImage,
        ModelDataUrl: train.properties.ModelArtifacts.S3ModelArtifacts,
      },
    },
  });
}

export interface ExecutionOutputLocation {
  readonly bucket: string;
  readonly prefix: string;
  /** The execution id, or the execution ARN (its last segment is the id). */
  readonly execution: string;
}

/** Where a step output of one execution lands: `s3://<bucket>/<prefix>/<execution id>/<step>/<output>`. */
export function abaloneOutputS3Uri(location: ExecutionOutputLocation, step: string, output: string): string {
  const executionId = location.execution.split('/').pop() ?? location.execution;
  return ['s3:/', location.bucket, ...prefixParts(location.prefix), executionId, step, output].join('/');
}

/** The held-out rows of an execution (label first, no header): for scoring an endpoint. */
export function abaloneTestRowsS3Uri(location: ExecutionOutputLocation): string {
  return `${abaloneOutputS3Uri(location, ABALONE_STEPS.preprocess, 'test')}/test.csv`;
}

/** The evaluation report of an execution. */
export function abaloneEvaluationS3Uri(location: ExecutionOutputLocation): string {
  return `${abaloneOutputS3Uri(location, ABALONE_STEPS.evaluate, 'evaluation')}/evaluation.json`;
}

function prefixParts(prefix: string): string[] {
  return prefix.split('/').filter(Boolean);
}
