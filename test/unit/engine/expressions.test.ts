import { evaluateCondition, evaluateConditions } from '../../../local/engine/conditions';
import { ExpressionError, resolveValue, type ExpressionScope } from '../../../local/engine/expressions';
import { resolveParameters } from '../../../local/engine/parameters';
import { parsePath, parseStepReference, walkPath } from '../../../local/engine/property-path';

const parameters = resolveParameters(
  [
    { Name: 'Threshold', Type: 'Float', DefaultValue: 6.0 },
    { Name: 'Count', Type: 'Integer', DefaultValue: 1 },
    { Name: 'Bucket', Type: 'String', DefaultValue: 'data' },
    { Name: 'Flag', Type: 'Boolean', DefaultValue: false },
  ],
  [{ Name: 'Count', Value: '3' }],
);

const objects: Record<string, string> = {
  's3://data/eval/evaluation.json': JSON.stringify({
    regression_metrics: { rmse: { value: 2.25 } },
    list: [{ a: 1 }],
  }),
};

const scope: ExpressionScope = {
  parameters: new Map(parameters.map((parameter) => [parameter.name, parameter])),
  executionVariable: (name) => ({ PipelineExecutionId: 'abc123', PipelineName: 'p' })[name],
  stepProperties: (name) =>
    name === 'Eval'
      ? {
          ProcessingOutputConfig: {
            Outputs: [{ OutputName: 'evaluation', S3Output: { S3Uri: 's3://data/eval' } }],
          },
          PropertyFiles: { Report: { S3Uri: 's3://data/eval/evaluation.json' } },
        }
      : undefined,
  readObject: (uri) => {
    const text = objects[uri];
    return text === undefined ? Promise.reject(new Error(`NoSuchKey ${uri}`)) : Promise.resolve(text);
  },
};

describe('pipeline parameters', () => {
  it('types start values over defaults', () => {
    expect(parameters.map((p) => [p.name, p.value, p.text])).toEqual([
      ['Threshold', 6, '6.0'],
      ['Count', 3, '3'],
      ['Bucket', 'data', 'data'],
      ['Flag', false, 'false'],
    ]);
  });

  it('names the parameter and the expected type for a bad value', () => {
    expect(() =>
      resolveParameters(
        [{ Name: 'Count', Type: 'Integer', DefaultValue: 1 }],
        [{ Name: 'Count', Value: '1.5' }],
      ),
    ).toThrow("pipeline parameter Count (Integer) got '1.5'; expected an integer");
    expect(() => resolveParameters([], [{ Name: 'Nope', Value: 'x' }])).toThrow(
      'unknown pipeline parameter(s) Nope',
    );
  });
});

describe('expressions', () => {
  it('resolves Get, Std:Join (Floats keep their decimal point) and nested values', async () => {
    const value = await resolveValue(
      {
        uri: {
          'Std:Join': {
            On: '/',
            Values: ['s3:/', { Get: 'Parameters.Bucket' }, { Get: 'Execution.PipelineExecutionId' }],
          },
        },
        message: { 'Std:Join': { On: ' ', Values: ['RMSE above', { Get: 'Parameters.Threshold' }] } },
        count: { Get: 'Parameters.Count' },
        list: [{ Get: "Steps.Eval.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri" }],
        plain: { Get: 'x', Other: 1 },
      },
      scope,
    );
    expect(value).toEqual({
      uri: 's3://data/abc123',
      message: 'RMSE above 6.0',
      count: 3,
      list: ['s3://data/eval'],
      plain: { Get: 'x', Other: 1 },
    });
  });

  it('reads Std:JsonGet from a property file and from an S3Uri', async () => {
    const fromFile = {
      'Std:JsonGet': {
        PropertyFile: { Get: 'Steps.Eval.PropertyFiles.Report' },
        Path: 'regression_metrics.rmse.value',
      },
    };
    await expect(resolveValue(fromFile, scope)).resolves.toBe(2.25);
    const fromUri = { 'Std:JsonGet': { S3Uri: 's3://data/eval/evaluation.json', Path: 'list[0].a' } };
    await expect(resolveValue(fromUri, scope)).resolves.toBe(1);
  });

  it('explains unresolvable references', async () => {
    await expect(resolveValue({ Get: 'Parameters.Missing' }, scope)).rejects.toThrow(
      'the pipeline declares no such parameter',
    );
    await expect(resolveValue({ Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' }, scope)).rejects.toThrow(
      'step Train has not produced properties',
    );
    await expect(resolveValue({ Get: 'Steps.Eval.Nope' }, scope)).rejects.toThrow(
      'step Eval has no property Nope',
    );
    await expect(
      resolveValue({ 'Std:JsonGet': { S3Uri: 's3://data/missing.json', Path: 'a' } }, scope),
    ).rejects.toBeInstanceOf(ExpressionError);
  });
});

describe('property paths', () => {
  it('parses members, positions and string indexes', () => {
    expect(parseStepReference("Steps.P.Outputs['train'].S3Output[0]")).toEqual({
      stepName: 'P',
      path: [
        { kind: 'member', name: 'Outputs' },
        { kind: 'key', key: 'train' },
        { kind: 'member', name: 'S3Output' },
        { kind: 'index', index: 0 },
      ],
    });
    expect(() => parsePath('.a[x]')).toThrow('at position 2');
  });

  it('picks list entries by name', () => {
    const metrics = { FinalMetricDataList: [{ MetricName: 'validation:rmse', Value: 2 }] };
    expect(walkPath(metrics, parsePath(".FinalMetricDataList['validation:rmse'].Value"))).toBe(2);
  });
});

describe('conditions', () => {
  const resolve = (value: unknown) => resolveValue(value, scope);

  it.each([
    ['Equals', 3, '3', true],
    ['GreaterThan', 2, 1, true],
    ['GreaterThanOrEqualTo', 1, 1, true],
    ['LessThan', 2.25, { Get: 'Parameters.Threshold' }, true],
    ['LessThanOrEqualTo', 7, 6, false],
    ['LessThan', 'a', 'b', true],
  ])('%s(%j, %j) is %s', async (type, left, right, expected) => {
    await expect(
      evaluateCondition({ Type: type, LeftValue: left, RightValue: right }, resolve),
    ).resolves.toBe(expected);
  });

  it('evaluates In, Not, Or and ANDs the list', async () => {
    await expect(
      evaluateCondition(
        { Type: 'In', QueryValue: { Get: 'Parameters.Bucket' }, Values: ['x', 'data'] },
        resolve,
      ),
    ).resolves.toBe(true);
    await expect(
      evaluateCondition({ Type: 'Not', Condition: { Type: 'Equals', LeftValue: 1, RightValue: 1 } }, resolve),
    ).resolves.toBe(false);
    await expect(
      evaluateCondition(
        {
          Type: 'Or',
          Conditions: [
            { Type: 'Equals', LeftValue: 1, RightValue: 2 },
            { Type: 'Equals', LeftValue: 2, RightValue: 2 },
          ],
        },
        resolve,
      ),
    ).resolves.toBe(true);
    await expect(
      evaluateConditions(
        [
          { Type: 'Equals', LeftValue: 1, RightValue: 1 },
          { Type: 'Equals', LeftValue: 1, RightValue: 2 },
        ],
        resolve,
      ),
    ).resolves.toBe(false);
  });

  it('rejects unknown types and incomparable operands', async () => {
    await expect(
      evaluateCondition({ Type: 'Between', LeftValue: 1, RightValue: 2 }, resolve),
    ).rejects.toThrow('unknown condition type Between');
    await expect(
      evaluateCondition({ Type: 'LessThan', LeftValue: 'a', RightValue: 1 }, resolve),
    ).rejects.toThrow('cannot compare');
  });
});
