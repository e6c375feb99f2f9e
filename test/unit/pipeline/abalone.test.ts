import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import {
  abaloneEvaluationS3Uri,
  abaloneTestRowsS3Uri,
  ABALONE_STEPS,
  buildAbalonePipeline,
  type AbaloneOptions,
} from '../../../pipeline/abalone';
import { imageUri, SKLEARN_IMAGE, XGBOOST_IMAGE } from '../../../pipeline/images';
import { abaloneDefaults, formatJson, REPO_ROOT, synthesizeAbalone } from '../../../pipeline/synth';

const GOLDEN = path.join(REPO_ROOT, 'test', 'golden', 'abalone-definition.json');

const OPTIONS: AbaloneOptions = {
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::444455556666:role/TeamRole',
  bucket: 'team-bucket',
  prefix: 'ml/abalone',
  lambdaFunctionArn: 'arn:aws:lambda:eu-west-1:444455556666:function:record',
  modelPackageGroupName: 'team-models',
  modelNameParameter: '/team/model',
  assets: {
    preprocessScript: 's3://team-bucket/pre.py',
    evaluateScript: 's3://team-bucket/eval.py',
    analyzerScript: 's3://team-bucket/analyzer.py',
    inputData: 's3://team-bucket/abalone.csv',
  },
};

describe('the abalone pipeline', () => {
  it('matches the golden definition (regenerate with UPDATE_GOLDEN=1)', () => {
    const actual = formatJson(synthesizeAbalone(abaloneDefaults()).definition);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, actual);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('registers the data-quality baseline as the package drift-check baseline and model metrics', () => {
    const definition = buildAbalonePipeline(OPTIONS).toDefinition();
    const byName = (name: string) => definition.Steps.find((step) => step.Name === name)?.Arguments;
    const gate = byName('CheckRmse') as { IfSteps: { Name: string; Arguments: unknown }[] };
    const register = gate.IfSteps[0]?.Arguments as {
      DriftCheckBaselines: { ModelDataQuality: unknown };
      ModelMetrics: { ModelDataQuality: unknown };
    };
    const baselineFile = (file: string) => ({
      ContentType: 'application/json',
      S3Uri: {
        'Std:Join': {
          On: '/',
          Values: [
            { Get: "Steps.DataQualityBaseline.ProcessingOutputConfig.Outputs['baseline'].S3Output.S3Uri" },
            file,
          ],
        },
      },
    });
    const expected = {
      Statistics: baselineFile('statistics.json'),
      Constraints: baselineFile('constraints.json'),
    };
    expect(register.DriftCheckBaselines.ModelDataQuality).toEqual(expected);
    expect(register.ModelMetrics.ModelDataQuality).toEqual(expected);
    const baseline = byName('DataQualityBaseline') as { Environment: Record<string, string> };
    expect(baseline.Environment).toMatchObject({
      skip_leading_columns: '1',
      dataset_format: '{"csv":{"header":false}}',
    });
  });

  it('has the required steps and gates on RMSE read from the evaluation property file', () => {
    const definition = buildAbalonePipeline(OPTIONS).toDefinition();
    const text = JSON.stringify(definition);
    expect(definition.Steps.map((step) => `${step.Name}:${step.Type}`)).toEqual([
      'Preprocess:Processing',
      'Train:Training',
      'Evaluate:Processing',
      'DataQualityBaseline:Processing',
      'CheckRmse:Condition',
    ]);
    const gate = definition.Steps[4]?.Arguments as {
      Conditions: unknown[];
      IfSteps: { Name: string; Type: string }[];
      ElseSteps: { Name: string; Type: string }[];
    };
    expect(gate.IfSteps.map((step) => `${step.Name}:${step.Type}`)).toEqual([
      'RegisterModel:RegisterModel',
      'CreateModel:Model',
      'RecordModelName:Lambda',
    ]);
    expect(gate.ElseSteps.map((step) => `${step.Name}:${step.Type}`)).toEqual(['RmseTooHigh:Fail']);
    expect(gate.Conditions).toEqual([
      {
        Type: 'LessThanOrEqualTo',
        LeftValue: {
          'Std:JsonGet': {
            PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' },
            Path: 'regression_metrics.rmse.value',
          },
        },
        RightValue: { Get: 'Parameters.RmseThreshold' },
      },
    ]);
    expect(definition.Steps[2]?.PropertyFiles).toEqual([
      { PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' },
    ]);
    expect(text).toContain(
      '"HyperParameters":{"max_depth":{"Std:Join":{"On":"","Values":[{"Get":"Parameters.MaxDepth"}]}},"eta":"0.2","gamma":"4","min_child_weight":"6","subsample":"0.7"',
    );
    expect(text).toContain('"objective":"reg:squarederror"');
  });

  it('takes account, region and bucket from its options only', () => {
    const text = JSON.stringify(buildAbalonePipeline(OPTIONS).toDefinition());
    expect(text).not.toMatch(/us-east-1|000000000000|mlops-local-artifacts|683313688378/);
    expect(text).toContain(
      '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
    );
    expect(text).toContain('141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    expect(text).toContain(
      '"Values":["s3:/","team-bucket","ml","abalone",{"Get":"Execution.PipelineExecutionId"},"Preprocess","test"]',
    );
  });

  it('lists the parameters a user sets per execution, with their defaults', () => {
    const parameters = buildAbalonePipeline(OPTIONS).toDefinition().Parameters;
    expect(parameters.map((parameter) => parameter.Name)).toEqual([
      'ProcessingInstanceType',
      'ProcessingInstanceCount',
      'TrainingInstanceType',
      'TrainingInstanceCount',
      'InputDataUrl',
      'SplitSeed',
      'MaxDepth',
      'NumRound',
      'RmseThreshold',
      'ModelApprovalStatus',
      'ModelPackageGroupName',
      'ModelNameParameter',
    ]);
    expect(parameters.find((parameter) => parameter.Name === 'ModelApprovalStatus')).toEqual({
      Name: 'ModelApprovalStatus',
      Type: 'String',
      DefaultValue: 'PendingManualApproval',
      EnumValues: ['Approved', 'Rejected', 'PendingManualApproval'],
    });
    expect(parameters.find((parameter) => parameter.Name === 'InputDataUrl')?.DefaultValue).toBe(
      's3://team-bucket/abalone.csv',
    );
  });

  it('resolves image URIs per region and refuses unknown regions', () => {
    expect(imageUri(SKLEARN_IMAGE, 'us-east-1')).toBe(
      '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
    );
    expect(imageUri(XGBOOST_IMAGE, 'cn-north-1')).toBe(
      '450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-xgboost:1.7-1',
    );
    expect(() => imageUri(XGBOOST_IMAGE, 'mars-1')).toThrow(
      'sagemaker-xgboost:1.7-1 is not published in region "mars-1"; known regions: af-south-1',
    );
  });

  it('computes where an execution leaves its test rows and evaluation report', () => {
    const arn = 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/abalone-pipeline/execution/abc123';
    expect(abaloneTestRowsS3Uri({ bucket: 'b', prefix: 'abalone-pipeline', execution: arn })).toBe(
      's3://b/abalone-pipeline/abc123/Preprocess/test/test.csv',
    );
    expect(abaloneEvaluationS3Uri({ bucket: 'b', prefix: '', execution: 'abc123' })).toBe(
      's3://b/abc123/Evaluate/evaluation/evaluation.json',
    );
    expect(ABALONE_STEPS.preprocess).toBe('Preprocess');
  });
});

describe('synthesizeAbalone', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlops-synth-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the scripts and the data in the manifest, with the URIs the definition uses', () => {
    const { definition, manifest } = synthesizeAbalone(abaloneDefaults());
    expect(manifest.assets.map((entry) => entry.path)).toEqual([
      'pipeline/scripts/preprocess.py',
      'pipeline/scripts/evaluate.py',
      'pipeline/scripts/monitor/analyzer.py',
      'data/abalone.csv',
    ]);
    const text = JSON.stringify(definition);
    for (const entry of manifest.assets) {
      expect(entry.s3Uri).toBe(
        `s3://mlops-local-artifacts/abalone-pipeline/assets/${entry.sha256}/${path.basename(entry.path)}`,
      );
      expect(text).toContain(entry.s3Uri);
    }
  });

  it('changes a script URI when one byte of the script changes', () => {
    mkdirSync(path.join(dir, 'monitor'));
    for (const script of ['preprocess.py', 'evaluate.py', 'monitor/analyzer.py'])
      copyFileSync(path.join(REPO_ROOT, 'pipeline', 'scripts', script), path.join(dir, script));
    const before = synthesizeAbalone({ ...abaloneDefaults(), scriptsDir: dir });
    writeFileSync(path.join(dir, 'evaluate.py'), `${readFileSync(path.join(dir, 'evaluate.py'), 'utf8')} `);
    const after = synthesizeAbalone({ ...abaloneDefaults(), scriptsDir: dir });
    const uris = (result: typeof before) => result.manifest.assets.map((entry) => entry.s3Uri);
    expect(uris(after)[0]).toBe(uris(before)[0]);
    expect(uris(after)[1]).not.toBe(uris(before)[1]);
    expect(JSON.stringify(after.definition)).toContain(uris(after)[1]);
    expect(JSON.stringify(after.definition)).not.toContain(uris(before)[1]);
  });
});
