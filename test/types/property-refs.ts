/**
 * Type-level tests of the pipeline builder, checked by `npx tsc --noEmit` (part of `npm test`): every
 * `@ts-expect-error` line must fail to compile, every other line must compile. Nothing here runs.
 */
import {
  ConditionStep,
  FailStep,
  jsonGet,
  LambdaStep,
  lessThanOrEqualTo,
  ModelStep,
  parameter,
  processingOutput,
  ProcessingStep,
  RegisterModelStep,
  TrainingStep,
  type Value,
} from '../../pipeline/dsl';

const ROLE = 'arn:aws:iam::111122223333:role/Role';
const resources = {
  ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
} as const;
const output = <const Name extends string>(name: Name) =>
  processingOutput({ name, source: `/opt/ml/processing/${name}`, destination: `s3://b/${name}` });

export const prep = new ProcessingStep('Prep', {
  arguments: {
    ProcessingResources: resources,
    AppSpecification: { ImageUri: 'image' },
    RoleArn: ROLE,
    ProcessingOutputConfig: { Outputs: [output('train'), output('test')] },
  },
});

export const depth = parameter.integer('MaxDepth', 5);

export const train = new TrainingStep('Train', {
  arguments: {
    AlgorithmSpecification: { TrainingImage: 'xgb', TrainingInputMode: 'File' },
    RoleArn: ROLE,
    OutputDataConfig: { S3OutputPath: 's3://b/model' },
    HyperParameters: { max_depth: depth.asString(), eta: '0.2' },
    InputDataConfig: [
      {
        ChannelName: 'train',
        DataSource: {
          S3DataSource: {
            S3DataType: 'S3Prefix',
            S3Uri: prep.properties.ProcessingOutputConfig.Outputs.train.S3Output.S3Uri,
          },
        },
      },
    ],
  },
});

export const evaluate = new ProcessingStep('Evaluate', {
  arguments: {
    ProcessingResources: resources,
    AppSpecification: { ImageUri: 'image' },
    RoleArn: ROLE,
    ProcessingOutputConfig: { Outputs: [output('evaluation')] },
  },
  propertyFiles: [{ name: 'EvaluationReport', outputName: 'evaluation', filePath: 'evaluation.json' }],
});

export const model = new ModelStep('Model', {
  arguments: {
    PrimaryContainer: { Image: 'xgb', ModelDataUrl: train.properties.ModelArtifacts.S3ModelArtifacts },
  },
});

export const register = new RegisterModelStep('Register', { arguments: { ModelPackageGroupName: 'group' } });

export const record = new LambdaStep('Record', {
  functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:f',
  arguments: { model_name: model.properties.ModelName },
  outputParameters: [{ name: 'model_name', type: 'String' }],
});

export const rmse: Value<number> = jsonGet<number>(
  evaluate.propertyFiles.EvaluationReport,
  'regression_metrics.rmse.value',
);
export const gate = new ConditionStep('Gate', {
  conditions: [lessThanOrEqualTo(rmse, 3)],
  ifSteps: [model],
  elseSteps: [new FailStep('Stop')],
});

/** Property references that exist compile. */
export const valid = [
  train.properties.ModelArtifacts.S3ModelArtifacts,
  train.properties.FinalMetricDataList.get('validation:rmse').Value,
  prep.properties.ProcessingOutputConfig.Outputs['test'].S3Output.S3Uri,
  evaluate.properties.ProcessingOutputConfig.Outputs.evaluation.S3Output.S3Uri,
  model.properties.ModelName,
  register.properties.ModelPackageArn,
  record.properties.OutputParameters.model_name,
  gate.properties.Outcome,
];

/** Misspelt or undeclared references do not. */
export function invalidReferences(): unknown[] {
  return [
    // @ts-expect-error: Training has ModelArtifacts, not ModelArtifact
    train.properties.ModelArtifact.S3ModelArtifacts,
    // @ts-expect-error: ModelArtifacts has S3ModelArtifacts only
    train.properties.ModelArtifacts.S3ModelArtifact,
    // @ts-expect-error: Prep declares the outputs train and test, not tain
    prep.properties.ProcessingOutputConfig.Outputs.tain,
    // @ts-expect-error: Prep declares no validation output
    prep.properties.ProcessingOutputConfig.Outputs['validation'],
    // @ts-expect-error: the property file is EvaluationReport
    evaluate.propertyFiles.Report,
    // @ts-expect-error: Prep declares no property files at all
    prep.propertyFiles.EvaluationReport,
    // @ts-expect-error: the Lambda declares model_name, not modelName
    record.properties.OutputParameters.modelName,
    // @ts-expect-error: a Model step has ModelName, not ModelNme
    model.properties.ModelNme,
    // @ts-expect-error: RegisterModel has ModelPackageArn
    register.properties.ModelPackageARN,
    // @ts-expect-error: a Condition step's property is Outcome
    gate.properties.Result,
  ];
}

/** Arguments are checked against the service's request types. */
export function invalidArguments(): unknown[] {
  return [
    new ProcessingStep('Eval2', {
      arguments: {
        ProcessingResources: resources,
        AppSpecification: { ImageUri: 'i' },
        RoleArn: ROLE,
        ProcessingOutputConfig: { Outputs: [output('evaluation')] },
      },
      // @ts-expect-error: a property file must name a declared output
      propertyFiles: [{ name: 'Report', outputName: 'evaluaton', filePath: 'evaluation.json' }],
    }),
    new TrainingStep('Train2', {
      arguments: {
        RoleArn: ROLE,
        OutputDataConfig: { S3OutputPath: 's3://b/model' },
        // @ts-expect-error: hyperparameters are strings; an Integer parameter needs .asString()
        HyperParameters: { max_depth: depth },
      },
    }),
    new TrainingStep('Train3', {
      arguments: {
        RoleArn: ROLE,
        // @ts-expect-error: TrainingInputMode is File, Pipe or FastFile
        AlgorithmSpecification: { TrainingImage: 'xgb', TrainingInputMode: 'Files' },
        OutputDataConfig: { S3OutputPath: 's3://b/model' },
      },
    }),
    new ModelStep('Model2', {
      // @ts-expect-error: CreateModel has ExecutionRoleArn, not RoleArn
      arguments: { RoleArn: ROLE, PrimaryContainer: { Image: 'xgb' } },
    }),
  ];
}
