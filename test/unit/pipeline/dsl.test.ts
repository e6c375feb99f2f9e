import {
  ConditionStep,
  equals,
  Execution,
  FailStep,
  greaterThan,
  greaterThanOrEqualTo,
  isIn,
  join,
  jsonGet,
  LambdaStep,
  lessThan,
  lessThanOrEqualTo,
  ModelStep,
  not,
  or,
  parameter,
  Pipeline,
  PipelineDefinitionError,
  processingInput,
  processingOutput,
  ProcessingStep,
  TrainingStep,
  TransformStep,
  type StepDefinition,
} from '../../../pipeline/dsl';

const ROLE = 'arn:aws:iam::111122223333:role/Role';

function processing(name: string, outputs: readonly ('data' | 'report')[] = ['data', 'report']) {
  return new ProcessingStep(name, {
    arguments: {
      ProcessingResources: {
        ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
      },
      AppSpecification: { ImageUri: 'image' },
      RoleArn: ROLE,
      ProcessingOutputConfig: {
        Outputs: outputs.map((output) =>
          processingOutput({
            name: output,
            source: `/opt/ml/processing/${output}`,
            destination: `s3://b/${output}`,
          }),
        ),
      },
    },
    propertyFiles: [{ name: 'Report', outputName: 'report', filePath: 'report.json' }],
  });
}

function training(name: string, input: ReturnType<typeof processing>) {
  return new TrainingStep(name, {
    cacheConfig: { enabled: true, expireAfter: 'P30D' },
    retryPolicies: [
      { exceptionTypes: ['SageMaker.CAPACITY_ERROR'], intervalSeconds: 5, backoffRate: 2, maxAttempts: 4 },
    ],
    displayName: 'Training',
    arguments: {
      AlgorithmSpecification: { TrainingImage: 'xgb', TrainingInputMode: 'File' },
      RoleArn: ROLE,
      OutputDataConfig: { S3OutputPath: 's3://b/model' },
      ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
      StoppingCondition: { MaxRuntimeInSeconds: 60 },
      InputDataConfig: [
        {
          ChannelName: 'train',
          DataSource: {
            S3DataSource: {
              S3DataType: 'S3Prefix',
              S3Uri: input.properties.ProcessingOutputConfig.Outputs.data.S3Output.S3Uri,
            },
          },
        },
      ],
    },
  });
}

const stepNamed = (steps: readonly StepDefinition[], name: string) =>
  steps.find((step) => step.Name === name);

describe('parameters', () => {
  it('emit Name, Type, DefaultValue and EnumValues as the SDK does', () => {
    const definitions = [
      parameter.string('Status', { default: 'Approved', enumValues: ['Approved', 'Rejected'] }),
      parameter.integer('Count', 2),
      parameter.float('Threshold', 2.5),
      parameter.boolean('Flag', false),
      parameter.string('NoDefault'),
    ].map((entry) => entry.toDefinition());
    expect(definitions).toEqual([
      { Name: 'Status', Type: 'String', DefaultValue: 'Approved', EnumValues: ['Approved', 'Rejected'] },
      { Name: 'Count', Type: 'Integer', DefaultValue: 2 },
      { Name: 'Threshold', Type: 'Float', DefaultValue: 2.5 },
      { Name: 'Flag', Type: 'Boolean', DefaultValue: false },
      { Name: 'NoDefault', Type: 'String' },
    ]);
    expect(parameter.integer('Count').toWire()).toEqual({ Get: 'Parameters.Count' });
  });

  it('reject bad names and defaults early, naming the value', () => {
    expect(() => parameter.string('bad name')).toThrow(
      'invalid parameter name "bad name": expected 1-256 characters',
    );
    expect(() => parameter.integer('Count', 1.5)).toThrow('parameter Count: default 1.5 is not an integer');
    expect(() => parameter.string('Status', { default: 'Maybe', enumValues: ['Yes', 'No'] })).toThrow(
      'parameter Status: default "Maybe" is not one of its EnumValues ["Yes","No"]',
    );
  });
});

describe('expressions', () => {
  it('write Std:Join, Std:JsonGet (property file or S3 URI), execution variables and to-string', () => {
    const step = processing('Eval');
    expect(join('/', ['s3:/', 'bucket', Execution.PipelineExecutionId]).toWire()).toEqual({
      'Std:Join': { On: '/', Values: ['s3:/', 'bucket', { Get: 'Execution.PipelineExecutionId' }] },
    });
    expect(jsonGet(step.propertyFiles.Report, 'metrics.rmse.value').toWire()).toEqual({
      'Std:JsonGet': { PropertyFile: { Get: 'Steps.Eval.PropertyFiles.Report' }, Path: 'metrics.rmse.value' },
    });
    expect(jsonGet(join('/', ['s3://b', 'x.json']), 'a').toWire()).toEqual({
      'Std:JsonGet': { S3Uri: { 'Std:Join': { On: '/', Values: ['s3://b', 'x.json'] } }, Path: 'a' },
    });
    expect(parameter.integer('Depth', 5).asString().toWire()).toEqual({
      'Std:Join': { On: '', Values: [{ Get: 'Parameters.Depth' }] },
    });
  });

  it('type step properties with the service paths, picking outputs by name', () => {
    const prep = processing('Prep');
    const train = training('Train', prep);
    expect(prep.properties.ProcessingOutputConfig.Outputs.report.S3Output.S3Uri.toWire()).toEqual({
      Get: "Steps.Prep.ProcessingOutputConfig.Outputs['report'].S3Output.S3Uri",
    });
    expect(train.properties.ModelArtifacts.S3ModelArtifacts.toWire()).toEqual({
      Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts',
    });
    expect(train.properties.FinalMetricDataList.get('validation:rmse').Value.toWire()).toEqual({
      Get: "Steps.Train.FinalMetricDataList['validation:rmse'].Value",
    });
    expect(train.properties.FinalMetricDataList.get(0).Value.toWire()).toEqual({
      Get: 'Steps.Train.FinalMetricDataList[0].Value',
    });
  });
});

describe('conditions', () => {
  it('have the wire shapes of every condition type', () => {
    const x = parameter.float('X', 1);
    const wire = [
      equals(x, 1),
      greaterThan(x, 1),
      greaterThanOrEqualTo(x, 1),
      lessThan(x, 1),
      lessThanOrEqualTo(x, 1),
      isIn(parameter.string('S', { default: 'a' }), ['a', 'b']),
      not(equals(x, 2)),
      or(lessThan(x, 0), greaterThan(x, 10)),
    ].map((condition) => condition.toWire());
    const left = { Get: 'Parameters.X' };
    expect(wire).toEqual([
      { Type: 'Equals', LeftValue: left, RightValue: 1 },
      { Type: 'GreaterThan', LeftValue: left, RightValue: 1 },
      { Type: 'GreaterThanOrEqualTo', LeftValue: left, RightValue: 1 },
      { Type: 'LessThan', LeftValue: left, RightValue: 1 },
      { Type: 'LessThanOrEqualTo', LeftValue: left, RightValue: 1 },
      { Type: 'In', QueryValue: { Get: 'Parameters.S' }, Values: ['a', 'b'] },
      { Type: 'Not', Condition: { Type: 'Equals', LeftValue: left, RightValue: 2 } },
      {
        Type: 'Or',
        Conditions: [
          { Type: 'LessThan', LeftValue: left, RightValue: 0 },
          { Type: 'GreaterThan', LeftValue: left, RightValue: 10 },
        ],
      },
    ]);
  });
});

describe('steps and pipeline', () => {
  function buildPipeline() {
    const threshold = parameter.float('Threshold', 3);
    const prep = processing('Prep');
    const train = training('Train', prep);
    const model = new ModelStep('Model', {
      arguments: {
        ExecutionRoleArn: ROLE,
        PrimaryContainer: { Image: 'xgb', ModelDataUrl: train.properties.ModelArtifacts.S3ModelArtifacts },
      },
    });
    const transform = new TransformStep('Score', {
      cacheConfig: { enabled: false },
      arguments: {
        ModelName: model.properties.ModelName,
        TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/batch' } } },
        TransformOutput: { S3OutputPath: join('/', ['s3://b/out', Execution.PipelineExecutionId]) },
        TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
      },
    });
    const notify = new LambdaStep('Notify', {
      functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:f',
      arguments: { model: model.properties.ModelName },
      outputParameters: [{ name: 'version', type: 'Integer' }],
      dependsOn: [transform],
    });
    const fail = new FailStep('TooHigh', { errorMessage: join(' ', ['RMSE above', threshold]) });
    const gate = new ConditionStep('Gate', {
      conditions: [lessThanOrEqualTo(jsonGet(prep.propertyFiles.Report, 'rmse'), threshold)],
      ifSteps: [model, transform, notify],
      elseSteps: [fail],
    });
    return { pipeline: new Pipeline({ parameters: [threshold], steps: [gate] }), notify };
  }

  it('adds the unplaced steps a step reads, before it, and writes each step in SDK form', () => {
    const definition = buildPipeline().pipeline.toDefinition();
    expect(definition.Steps.map((step) => step.Name)).toEqual(['Prep', 'Train', 'Gate']);
    expect(definition.PipelineExperimentConfig).toEqual({
      ExperimentName: { Get: 'Execution.PipelineName' },
      TrialName: { Get: 'Execution.PipelineExecutionId' },
    });
    const train = stepNamed(definition.Steps, 'Train');
    expect(Object.keys(train ?? {})).toEqual([
      'Name',
      'Type',
      'Arguments',
      'DisplayName',
      'RetryPolicies',
      'CacheConfig',
    ]);
    expect(train?.RetryPolicies).toEqual([
      { ExceptionType: ['SageMaker.CAPACITY_ERROR'], IntervalSeconds: 5, BackoffRate: 2, MaxAttempts: 4 },
    ]);
    expect(train?.CacheConfig).toEqual({ Enabled: true, ExpireAfter: 'P30D' });
    expect(stepNamed(definition.Steps, 'Prep')?.PropertyFiles).toEqual([
      { PropertyFileName: 'Report', OutputName: 'report', FilePath: 'report.json' },
    ]);

    const gate = stepNamed(definition.Steps, 'Gate')?.Arguments as {
      IfSteps: StepDefinition[];
      ElseSteps: StepDefinition[];
    };
    expect(gate.IfSteps.map((step) => step.Name)).toEqual(['Model', 'Score', 'Notify']);
    expect(stepNamed(gate.IfSteps, 'Notify')).toEqual({
      Name: 'Notify',
      Type: 'Lambda',
      Arguments: { model: { Get: 'Steps.Model.ModelName' } },
      DependsOn: ['Score'],
      FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:f',
      OutputParameters: [{ OutputName: 'version', OutputType: 'Integer' }],
    });
    expect(stepNamed(gate.IfSteps, 'Score')?.CacheConfig).toEqual({ Enabled: false });
    expect(gate.ElseSteps).toEqual([
      {
        Name: 'TooHigh',
        Type: 'Fail',
        Arguments: {
          ErrorMessage: { 'Std:Join': { On: ' ', Values: ['RMSE above', { Get: 'Parameters.Threshold' }] } },
        },
      },
    ]);
  });

  it('types Lambda output parameters by their declared names', () => {
    expect(buildPipeline().notify.properties.OutputParameters.version.toWire()).toEqual({
      Get: "Steps.Notify.OutputParameters['version']",
    });
  });

  it('refuses to write an invalid definition and lists every problem', () => {
    const undeclared = parameter.float('Undeclared', 1);
    const fail = new FailStep('Stop', { errorMessage: join(' ', ['x', undeclared]) });
    const pipeline = new Pipeline({ steps: [fail, new FailStep('Stop')] });
    expect(() => pipeline.toDefinition()).toThrow(PipelineDefinitionError);
    expect(() => pipeline.toDefinition()).toThrow('$.Steps[1].Name: duplicate step name "Stop"');
    expect(() => pipeline.toDefinition()).toThrow(
      'refers to parameter "Undeclared", which is not declared in Parameters',
    );
  });

  it('checks names, property files and retry policies when a step is built', () => {
    expect(() => new FailStep('no spaces')).toThrow(
      'invalid step name "no spaces": expected 1-64 characters from [A-Za-z0-9-_]',
    );
    expect(() => new FailStep('x'.repeat(65))).toThrow('invalid step name');
    expect(
      () =>
        new ProcessingStep('P', {
          arguments: {
            ProcessingResources: {
              ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 1 },
            },
            AppSpecification: { ImageUri: 'i' },
            RoleArn: ROLE,
          },
          propertyFiles: [{ name: 'F', outputName: 'missing' as never, filePath: 'f.json' }],
        }),
    ).toThrow('step P: property file F names output "missing", but the step\'s outputs are []');
    expect(() => training('T', processing('P')).toWire()).not.toThrow();
    expect(
      () =>
        new ModelStep('M', {
          arguments: { PrimaryContainer: { Image: 'i' } },
          retryPolicies: [{ exceptionTypes: ['Step.THROTTLING'], maxAttempts: 21 }],
        }),
    ).toThrow('step M: retryPolicies[0]: maxAttempts 21 must be an integer from 1 to 20');
  });

  it('writes processing inputs in the SDK default form', () => {
    expect(
      processingInput({
        name: 'code',
        source: 's3://b/code.py',
        destination: '/opt/ml/processing/input/code',
      }),
    ).toEqual({
      InputName: 'code',
      AppManaged: false,
      S3Input: {
        S3Uri: 's3://b/code.py',
        LocalPath: '/opt/ml/processing/input/code',
        S3DataType: 'S3Prefix',
        S3InputMode: 'File',
        S3DataDistributionType: 'FullyReplicated',
        S3CompressionType: 'None',
      },
    });
  });
});
