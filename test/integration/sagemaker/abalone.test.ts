import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeModelCommand,
  DescribeModelPackageCommand,
  DescribePipelineExecutionCommand,
  DescribeTrainingJobCommand,
  ListModelPackagesCommand,
} from '@aws-sdk/client-sagemaker';
import { GetParameterCommand } from '@aws-sdk/client-ssm';

import { findPython } from '../../../local/runtimes/python';
import { abaloneEvaluationS3Uri } from '../../../pipeline/abalone';
import {
  createAbalonePipeline,
  executionSteps,
  getObjectText,
  splitS3Uri,
  startExecution,
  startLocalSageMaker,
  stopLocalSageMaker,
  waitForExecution,
  type LocalSageMaker,
} from './helpers';

jest.setTimeout(90_000);

describe('the abalone pipeline on the local SageMaker', () => {
  let local: LocalSageMaker | undefined;
  let defaults: Awaited<ReturnType<typeof createAbalonePipeline>>['defaults'];

  let passing: string;
  let failing: string;

  // Both executions run at once (as two pushes would); each test then examines one of them.
  beforeAll(async () => {
    local = await startLocalSageMaker();
    ({ defaults } = await createAbalonePipeline(local, 'abalone'));
    passing = await startExecution(local, 'abalone', { ModelApprovalStatus: 'Approved' });
    failing = await startExecution(local, 'abalone', { RmseThreshold: '0.5' });
    await Promise.all([waitForExecution(local, passing), waitForExecution(local, failing)]);
  });

  afterAll(() => stopLocalSageMaker(local));

  it('runs to Succeeded and leaves a loadable model, its evaluation, a package, a model and the SSM parameter', async () => {
    const sm = local!;
    const arn = passing;
    const execution = await sm.sagemaker.send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }),
    );
    const steps = await executionSteps(sm, arn);
    expect({ status: execution.PipelineExecutionStatus, reason: execution.FailureReason }).toEqual({
      status: 'Succeeded',
      reason: undefined,
    });
    expect(Object.keys(steps).sort()).toEqual([
      'CheckRmse',
      'CreateModel',
      'Evaluate',
      'Preprocess',
      'RecordModelName',
      'RegisterModel',
      'Train',
    ]);
    expect(Object.values(steps).every((step) => step.StepStatus === 'Succeeded')).toBe(true);
    expect(steps.CheckRmse?.Metadata?.Condition?.Outcome).toBe('True');

    const trainingJobName = steps.Train!.Metadata!.TrainingJob!.Arn!.split('/').pop()!;
    const training = await sm.sagemaker.send(
      new DescribeTrainingJobCommand({ TrainingJobName: trainingJobName }),
    );
    expect(training.TrainingJobStatus).toBe('Completed');
    expect(training.SecondaryStatusTransitions?.map((transition) => transition.Status)).toEqual([
      'Starting',
      'Training',
      'Completed',
    ]);
    expect(
      training.SecondaryStatusTransitions?.every((transition) => transition.EndTime instanceof Date),
    ).toBe(true);
    const validationRmse = training.FinalMetricDataList?.find(
      (metric) => metric.MetricName === 'validation:rmse',
    );
    expect(validationRmse?.Value).toBeGreaterThan(1);
    expect(validationRmse?.Timestamp).toBeInstanceOf(Date);
    const artifacts = training.ModelArtifacts!.S3ModelArtifacts!;
    expect(artifacts).toMatch(new RegExp(`/${trainingJobName}/output/model\\.tar\\.gz$`));
    expect(await boosterRounds(sm, artifacts)).toBe(50);

    const report = JSON.parse(
      await getObjectText(
        sm,
        abaloneEvaluationS3Uri({ bucket: defaults.bucket, prefix: defaults.prefix, execution: arn }),
      ),
    );
    const rmse = report.regression_metrics.rmse.value as number;
    expect(rmse).toBeGreaterThanOrEqual(1.9);
    expect(rmse).toBeLessThanOrEqual(2.6);

    const packages = await sm.sagemaker.send(
      new ListModelPackagesCommand({ ModelPackageGroupName: defaults.modelPackageGroupName }),
    );
    expect(
      packages.ModelPackageSummaryList?.map((pkg) => [pkg.ModelPackageVersion, pkg.ModelApprovalStatus]),
    ).toEqual([[1, 'Approved']]);
    expect(steps.RegisterModel?.Metadata?.RegisterModel?.Arn).toBe(
      packages.ModelPackageSummaryList?.[0]?.ModelPackageArn,
    );

    const modelName = steps.CreateModel!.Metadata!.Model!.Arn!.split('/').pop()!;
    const model = await sm.sagemaker.send(new DescribeModelCommand({ ModelName: modelName }));
    expect(model.PrimaryContainer?.ModelDataUrl).toBe(artifacts);
    const parameter = await sm.ssm.send(new GetParameterCommand({ Name: defaults.modelNameParameter }));
    expect(parameter.Parameter?.Value).toBe(modelName);
    expect(steps.RecordModelName?.Metadata?.Lambda?.OutputParameters).toContainEqual({
      Name: 'model_name',
      Value: modelName,
    });
  });

  it('ends Failed at the Fail step when RMSE misses RmseThreshold, registering nothing and writing no parameter', async () => {
    const sm = local!;
    const arn = failing;
    const execution = await sm.sagemaker.send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }),
    );
    const steps = await executionSteps(sm, arn);

    expect(execution.PipelineExecutionStatus).toBe('Failed');
    expect(execution.FailureReason).toMatch(/RMSE .*RmseThreshold 0\.5/);
    expect(steps.RmseTooHigh).toMatchObject({
      StepStatus: 'Failed',
      Metadata: { Fail: { ErrorMessage: execution.FailureReason } },
    });
    expect(steps.CheckRmse?.Metadata?.Condition?.Outcome).toBe('False');
    expect(['RegisterModel', 'CreateModel', 'RecordModelName'].filter((name) => steps[name])).toEqual([]);
    const packages = await sm.sagemaker.send(
      new ListModelPackagesCommand({ ModelPackageGroupName: defaults.modelPackageGroupName }),
    );
    expect(packages.ModelPackageSummaryList).toHaveLength(1);
    const registered = await sm.sagemaker.send(
      new DescribeModelPackageCommand({
        ModelPackageName: packages.ModelPackageSummaryList![0]!.ModelPackageArn,
      }),
    );
    expect(registered.CustomerMetadataProperties?.PipelineExecutionArn).toBe(passing);
    const parameter = await sm.ssm.send(new GetParameterCommand({ Name: defaults.modelNameParameter }));
    expect(parameter.Parameter?.Version).toBe(1);
  });
});

/** Downloads model.tar.gz, unpacks it and loads xgboost-model with the local XGBoost; returns its tree count. */
async function boosterRounds(local: LocalSageMaker, uri: string): Promise<number> {
  const { bucket, key } = splitS3Uri(uri);
  const object = await local.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const folder = fs.mkdtempSync(path.join(local.stateDir, 'model-check-'));
  const tarball = path.join(folder, 'model.tar.gz');
  fs.writeFileSync(tarball, await object.Body!.transformToByteArray());
  const script = [
    'import sys, tarfile, os, xgboost',
    'folder = sys.argv[1]',
    'tarfile.open(os.path.join(folder, "model.tar.gz")).extractall(folder)',
    'booster = xgboost.Booster()',
    'booster.load_model(os.path.join(folder, "xgboost-model"))',
    'print(booster.num_boosted_rounds())',
  ].join('\n');
  const run = spawnSync(findPython(), ['-c', script, folder], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`loading the model failed: ${run.stderr}`);
  return Number(run.stdout.trim());
}
