import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import {
  MAX_DEFINITION_CHARACTERS,
  validateDefinition,
  type ValidationIssue,
} from '../../../pipeline/validate';

const REFERENCE_DIR = '/work/shared/reference/definitions';
const ROLE = 'arn:aws:iam::111122223333:role/Role';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A small valid definition: Prep (processing, property file) → Train → Gate (Model | Stop). */
function baseDefinition(): Json {
  const output = (name: string) => ({
    OutputName: name,
    S3Output: { S3Uri: `s3://b/${name}`, LocalPath: `/opt/ml/processing/${name}`, S3UploadMode: 'EndOfJob' },
  });
  return {
    Version: '2020-12-01',
    Metadata: {},
    Parameters: [
      { Name: 'Threshold', Type: 'Float', DefaultValue: 3.0 },
      { Name: 'Status', Type: 'String', DefaultValue: 'Approved', EnumValues: ['Approved', 'Rejected'] },
    ],
    PipelineExperimentConfig: {
      ExperimentName: { Get: 'Execution.PipelineName' },
      TrialName: { Get: 'Execution.PipelineExecutionId' },
    },
    Steps: [
      {
        Name: 'Prep',
        Type: 'Processing',
        Arguments: {
          ProcessingResources: {
            ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
          },
          AppSpecification: { ImageUri: 'image' },
          RoleArn: ROLE,
          ProcessingInputs: [
            { InputName: 'data', S3Input: { S3Uri: 's3://b/raw', LocalPath: '/opt/ml/processing/input' } },
          ],
          ProcessingOutputConfig: { Outputs: [output('train'), output('report')] },
        },
        PropertyFiles: [{ PropertyFileName: 'Report', OutputName: 'report', FilePath: 'report.json' }],
      },
      {
        Name: 'Train',
        Type: 'Training',
        Arguments: {
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
                  S3Uri: { Get: "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" },
                },
              },
            },
          ],
        },
      },
      {
        Name: 'Gate',
        Type: 'Condition',
        Arguments: {
          Conditions: [
            {
              Type: 'LessThanOrEqualTo',
              LeftValue: {
                'Std:JsonGet': {
                  PropertyFile: { Get: 'Steps.Prep.PropertyFiles.Report' },
                  Path: 'rmse.value',
                },
              },
              RightValue: { Get: 'Parameters.Threshold' },
            },
          ],
          IfSteps: [
            {
              Name: 'Model',
              Type: 'Model',
              Arguments: {
                ExecutionRoleArn: ROLE,
                PrimaryContainer: {
                  Image: 'xgb',
                  ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' },
                },
              },
            },
          ],
          ElseSteps: [
            {
              Name: 'Stop',
              Type: 'Fail',
              Arguments: {
                ErrorMessage: { 'Std:Join': { On: ' ', Values: ['above', { Get: 'Parameters.Threshold' }] } },
              },
            },
          ],
        },
      },
    ],
  };
}

function lambda(name: string, extra: Json = {}): Json {
  return {
    Name: name,
    Type: 'Lambda',
    Arguments: {},
    FunctionArn: 'arn:aws:lambda:us-east-1:1:function:f',
    ...extra,
  };
}

const gate = (definition: Json): Json => definition.Steps[2].Arguments;

function only(issues: readonly ValidationIssue[]): ValidationIssue {
  expect(issues).toHaveLength(1);
  return issues[0] as ValidationIssue;
}

describe('validateDefinition', () => {
  it('accepts the base definition', () => {
    expect(validateDefinition(baseDefinition())).toEqual([]);
  });

  it.each(readdirSync(REFERENCE_DIR).filter((file) => file.endsWith('.json')))(
    'accepts the SDK-produced %s',
    (file) => {
      const definition: unknown = JSON.parse(readFileSync(path.join(REFERENCE_DIR, file), 'utf8'));
      expect(validateDefinition(definition)).toEqual([]);
    },
  );

  it('reports a Get to a missing step where it is written', () => {
    const definition = baseDefinition();
    definition.Steps[1].Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri = {
      Get: "Steps.Prepp.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri",
    };
    expect(only(validateDefinition(definition))).toEqual({
      path: '$.Steps[1].Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri',
      message: `Get "Steps.Prepp.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" refers to step "Prepp", which does not exist (did you mean "Prep"?)`,
    });
  });

  it('reports a DependsOn cycle once, at the edge in the step written first', () => {
    const definition = {
      ...baseDefinition(),
      Steps: [lambda('A', { DependsOn: ['B'] }), lambda('B', { DependsOn: ['A'] })],
    };
    expect(only(validateDefinition(definition))).toEqual({
      path: '$.Steps[0].DependsOn[0]',
      message:
        'dependency cycle: "A" waits for "B" (DependsOn), "B" waits for "A" (DependsOn); steps in a cycle can never start',
    });
  });

  it('reports a cycle through data references', () => {
    const definition = baseDefinition();
    definition.Steps[0].Arguments.ProcessingInputs[0].S3Input.S3Uri = {
      Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts',
    };
    expect(only(validateDefinition(definition))).toEqual({
      path: '$.Steps[0].Arguments.ProcessingInputs[0].S3Input.S3Uri',
      message:
        'dependency cycle: "Prep" waits for "Train" (reads Steps.Train.ModelArtifacts.S3ModelArtifacts), ' +
        `"Train" waits for "Prep" (reads Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri); steps in a cycle can never start`,
    });
  });

  it('reports a step that waits for itself', () => {
    const definition = {
      ...baseDefinition(),
      Steps: [
        lambda('A', {
          Arguments: { x: { Get: "Steps.A.OutputParameters['y']" } },
          OutputParameters: [{ OutputName: 'y', OutputType: 'String' }],
        }),
      ],
    };
    expect(only(validateDefinition(definition))).toEqual({
      path: '$.Steps[0].Arguments.x',
      message: `dependency cycle: "A" waits for "A" (reads Steps.A.OutputParameters['y']); steps in a cycle can never start`,
    });
  });

  it('reports a duplicate step name', () => {
    const definition = baseDefinition();
    definition.Steps.push({ ...definition.Steps[1], Arguments: { ...definition.Steps[1].Arguments } });
    expect(only(validateDefinition(definition))).toEqual({
      path: '$.Steps[3].Name',
      message: 'duplicate step name "Train" (also at $.Steps[1]); step names must be unique',
    });
  });

  it('reports an invalid step name', () => {
    const definition = { ...baseDefinition(), Steps: [lambda('bad name!')] };
    expect(only(validateDefinition(definition))).toEqual({
      path: '$.Steps[0].Name',
      message: 'invalid step name "bad name!": expected 1-64 characters from [A-Za-z0-9-_]',
    });
    const long = { ...baseDefinition(), Steps: [lambda('x'.repeat(65))] };
    expect(only(validateDefinition(long)).path).toBe('$.Steps[0].Name');
  });

  it('reports an unknown condition type with the types it knows', () => {
    const definition = baseDefinition();
    gate(definition).Conditions[0].Type = 'LessThanOrEqual';
    expect(only(validateDefinition(definition))).toEqual({
      path: '$.Steps[2].Arguments.Conditions[0].Type',
      message:
        'unknown condition type "LessThanOrEqual" (did you mean "LessThanOrEqualTo"?); expected one of Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, Not, Or',
    });
  });

  it('reports a parameter default of the wrong type', () => {
    const definition = baseDefinition();
    definition.Parameters[0].DefaultValue = '3.0';
    expect(only(validateDefinition(definition))).toEqual({
      path: '$.Parameters[0].DefaultValue',
      message: 'default string "3.0" does not fit the parameter type Float; expected a number',
    });
    definition.Parameters[0] = { Name: 'Count', Type: 'Integer', DefaultValue: 1.5 };
    expect(validateDefinition(definition)).toContainEqual({
      path: '$.Parameters[0].DefaultValue',
      message: 'default number 1.5 does not fit the parameter type Integer; expected a whole number',
    });
  });

  it('reports invalid and duplicate parameter names and unknown parameter types', () => {
    const definition = baseDefinition();
    definition.Parameters.push(
      { Name: 'Threshold', Type: 'Float' },
      { Name: 'has space', Type: 'String' },
      { Name: 'N', Type: 'Number' },
    );
    expect(validateDefinition(definition)).toEqual([
      {
        path: '$.Parameters[2].Name',
        message: 'duplicate parameter name "Threshold" (first declared at $.Parameters[0])',
      },
      {
        path: '$.Parameters[3].Name',
        message: 'invalid parameter name "has space": expected 1-256 characters from [A-Za-z0-9-_]',
      },
      {
        path: '$.Parameters[4].Type',
        message: 'unknown parameter type "Number"; expected one of String, Integer, Float, Boolean',
      },
    ]);
  });

  it('reports a step placed both in a branch and at the top level', () => {
    const definition = baseDefinition();
    definition.Steps.push(gate(definition).IfSteps[0]);
    expect(only(validateDefinition(definition))).toEqual({
      path: '$.Steps[3]',
      message:
        'step "Model" is placed at the top level and also in the IfSteps of condition "Gate" ($.Steps[2].Arguments.IfSteps[0]); a step belongs to one place only, the top level or one branch of one condition',
    });
  });

  it('reports a step placed in both branches', () => {
    const definition = baseDefinition();
    gate(definition).ElseSteps.push(gate(definition).IfSteps[0]);
    expect(only(validateDefinition(definition))).toEqual({
      path: '$.Steps[2].Arguments.ElseSteps[1]',
      message:
        'step "Model" is placed in the ElseSteps of condition "Gate" and also in the IfSteps of condition "Gate" ($.Steps[2].Arguments.IfSteps[0]); a step belongs to one place only, the top level or one branch of one condition',
    });
  });

  it('checks property references against the step type, outputs, property files and output parameters', () => {
    const definition = baseDefinition();
    const model = gate(definition).IfSteps[0].Arguments.PrimaryContainer;
    model.ModelDataUrl = { Get: 'Steps.Train.ModelArtifact.S3ModelArtifacts' };
    model.Image = { Get: "Steps.Prep.ProcessingOutputConfig.Outputs['tain'].S3Output.S3Uri" };
    gate(definition).Conditions[0].LeftValue['Std:JsonGet'].PropertyFile.Get =
      'Steps.Prep.PropertyFiles.Reprot';
    gate(definition).ElseSteps[0].Arguments.ErrorMessage = { Get: 'Steps.Gate.Result' };
    expect(validateDefinition(definition)).toEqual([
      {
        path: '$.Steps[2].Arguments.Conditions[0].LeftValue["Std:JsonGet"].PropertyFile',
        message:
          'step "Prep" declares no property file "Reprot" (did you mean "Report"?); its PropertyFiles are Report',
      },
      {
        path: '$.Steps[2].Arguments.IfSteps[0].Arguments.PrimaryContainer.Image',
        message:
          'step "Prep" declares no processing output "tain" (did you mean "train"?); it declares train, report',
      },
      {
        path: '$.Steps[2].Arguments.IfSteps[0].Arguments.PrimaryContainer.ModelDataUrl',
        message:
          'step "Train" (Training) has no property "ModelArtifact" (did you mean "ModelArtifacts"?); Training properties follow DescribeTrainingJobResponse',
      },
      {
        path: '$.Steps[2].Arguments.ElseSteps[0].Arguments.ErrorMessage',
        message: 'step "Gate" (Condition) has no property "Result"; Condition properties are Outcome',
      },
    ]);
  });

  it('checks Lambda output parameters by declared name', () => {
    const definition = {
      ...baseDefinition(),
      Steps: [
        lambda('A', { OutputParameters: [{ OutputName: 'version', OutputType: 'Integer' }] }),
        lambda('B', { Arguments: { v: { Get: "Steps.A.OutputParameters['versions']" } } }),
      ],
    };
    expect(only(validateDefinition(definition))).toEqual({
      path: '$.Steps[1].Arguments.v',
      message:
        'step "A" declares no output parameter "versions" (did you mean "version"?); it declares version',
    });
  });

  it('reports undeclared parameters, unknown execution variables and a DependsOn to a missing step', () => {
    const definition = baseDefinition();
    definition.Steps[0].Arguments.RoleArn = { Get: 'Parameters.Role' };
    definition.Steps[0].Arguments.AppSpecification.ImageUri = { Get: 'Execution.PipelineExecutionID' };
    definition.Steps[1].DependsOn = ['Preprocess'];
    expect(validateDefinition(definition)).toEqual([
      { path: '$.Steps[1].DependsOn[0]', message: 'DependsOn names step "Preprocess", which does not exist' },
      {
        path: '$.Steps[0].Arguments.AppSpecification.ImageUri',
        message:
          'unknown execution variable "PipelineExecutionID" (did you mean "PipelineExecutionId"?); expected one of PipelineExecutionId, PipelineExecutionArn, PipelineName, PipelineArn, StartDateTime, CurrentDateTime, TrainingJobName, ProcessingJobName',
      },
      {
        path: '$.Steps[0].Arguments.RoleArn',
        message: 'Get "Parameters.Role" refers to parameter "Role", which is not declared in Parameters',
      },
    ]);
  });

  it('reports malformed conditions', () => {
    const definition = baseDefinition();
    gate(definition).Conditions = [
      { Type: 'Equals', LeftValue: 1 },
      { Type: 'In', QueryValue: 'a' },
      { Type: 'Not' },
      { Type: 'Or', Conditions: [] },
      { Type: 'GreaterThan', LeftValue: [1], RightValue: 2 },
    ];
    expect(validateDefinition(definition)).toEqual([
      {
        path: '$.Steps[2].Arguments.Conditions[0].RightValue',
        message: 'a Equals condition needs RightValue',
      },
      {
        path: '$.Steps[2].Arguments.Conditions[1].Values',
        message: 'an In condition needs Values, a non-empty array of values',
      },
      {
        path: '$.Steps[2].Arguments.Conditions[2].Condition',
        message: 'a Not condition needs Condition, the condition it negates',
      },
      {
        path: '$.Steps[2].Arguments.Conditions[3].Conditions',
        message: 'an Or condition needs Conditions, a non-empty array of conditions',
      },
      {
        path: '$.Steps[2].Arguments.Conditions[4].LeftValue',
        message: 'expected a literal or an expression (Get, Std:Join, Std:JsonGet), found an array',
      },
    ]);
  });

  it('reports unknown step types, wrong Version, malformed expressions and the size limit', () => {
    const definition = baseDefinition();
    definition.Version = '2021-01-01';
    definition.Steps[1].Type = 'Trainng';
    gate(definition).Conditions[0].LeftValue['Std:JsonGet'].Path = '';
    definition.Metadata = { note: 'x'.repeat(MAX_DEFINITION_CHARACTERS) };
    expect(validateDefinition(definition)).toEqual([
      { path: '$.Version', message: 'Version must be "2020-12-01", found string "2021-01-01"' },
      {
        path: '$',
        message: expect.stringMatching(
          /^the definition is \d+ characters as JSON; the service accepts at most 1048576$/,
        ),
      },
      {
        path: '$.Steps[1].Type',
        message: expect.stringMatching(
          /^unknown step type "Trainng" \(did you mean "Training"\?\); expected one of Processing, Training, /,
        ),
      },
      {
        path: '$.Steps[2].Arguments.Conditions[0].LeftValue["Std:JsonGet"].Path',
        message: 'Std:JsonGet needs Path, a JSON path string such as "metrics.rmse.value"',
      },
    ]);
  });

  it('reports required arguments, EnumValues defaults and retry policies', () => {
    const definition = baseDefinition();
    delete definition.Steps[1].Arguments.OutputDataConfig;
    definition.Parameters[1].DefaultValue = 'Maybe';
    definition.Steps[0].RetryPolicies = [
      { ExceptionType: ['SageMaker.OOPS'], MaxAttempts: 3, ExpireAfterMin: 5 },
    ];
    expect(validateDefinition(definition)).toEqual([
      {
        path: '$.Parameters[1].DefaultValue',
        message: 'default "Maybe" is not one of the EnumValues ["Approved","Rejected"]',
      },
      {
        path: '$.Steps[0].RetryPolicies[0].ExceptionType[0]',
        message:
          'unknown exception type "SageMaker.OOPS"; expected one of Step.SERVICE_FAULT, Step.THROTTLING, SageMaker.JOB_INTERNAL_ERROR, SageMaker.CAPACITY_ERROR, SageMaker.RESOURCE_LIMIT',
      },
      {
        path: '$.Steps[0].RetryPolicies[0]',
        message: 'a retry policy takes MaxAttempts or ExpireAfterMin, not both',
      },
      {
        path: '$.Steps[1].Arguments.OutputDataConfig',
        message: "a Training step's Arguments need OutputDataConfig (the service's request requires it)",
      },
    ]);
  });

  it('rejects what is not a definition object', () => {
    expect(validateDefinition([])).toEqual([
      { path: '$', message: 'a pipeline definition is a JSON object, found an array' },
    ]);
  });
});
