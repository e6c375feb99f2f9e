import * as fs from 'node:fs';
import * as path from 'node:path';

import { DescribeProcessingJobCommand, DescribeTrainingJobCommand } from '@aws-sdk/client-sagemaker';

import { jobLogPath, jobRoot } from '../../../local/runtimes/job-directory';
import {
  ROLE_ARN,
  createPipeline,
  executionSteps,
  putObject,
  scriptPipeline,
  startExecution,
  startLocalSageMaker,
  stopLocalSageMaker,
  waitForExecution,
  type LocalSageMaker,
} from './helpers';

jest.setTimeout(30_000);

const XGBOOST_IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';

/** Whether a process runs (a zombie left for a non-reaping init counts as gone). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return check();
}

/** Built-in XGBoost on a few CSV rows with more rounds than it can finish in seconds. */
function endlessTrainingPipeline(maxRuntimeInSeconds: number) {
  return {
    Version: '2020-12-01',
    Steps: [
      {
        Name: 'Train',
        Type: 'Training',
        Arguments: {
          AlgorithmSpecification: { TrainingImage: XGBOOST_IMAGE, TrainingInputMode: 'File' },
          RoleArn: ROLE_ARN,
          InputDataConfig: [
            {
              ChannelName: 'train',
              ContentType: 'text/csv',
              DataSource: {
                S3DataSource: {
                  S3DataType: 'S3Prefix',
                  S3Uri: 's3://data-bucket/train/',
                  S3DataDistributionType: 'FullyReplicated',
                },
              },
            },
          ],
          OutputDataConfig: { S3OutputPath: 's3://data-bucket/model' },
          ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
          StoppingCondition: { MaxRuntimeInSeconds: maxRuntimeInSeconds },
          HyperParameters: { num_round: '100000000', max_depth: '2', objective: 'reg:squarederror' },
        },
      },
    ],
  };
}

describe('StoppingCondition.MaxRuntimeInSeconds on the local SageMaker', () => {
  let local: LocalSageMaker | undefined;

  beforeAll(async () => {
    local = await startLocalSageMaker();
    const rows = Array.from({ length: 50 }, (_, i) => `${i % 7},${i},${(i * 3) % 11}`).join('\n');
    await putObject(local, 's3://data-bucket/train/train.csv', `${rows}\n`);
  });

  afterAll(() => stopLocalSageMaker(local));

  it('stops a processing job and its children when the limit passes; the job is Stopped, the step Failed', async () => {
    const sm = local!;
    const script = [
      'import subprocess, time',
      'child = subprocess.Popen(["sleep", "60"])',
      'open("/opt/ml/output/child.pid", "w").write(str(child.pid))',
      'open("/opt/ml/output/message", "w").write("sleeping past the limit")',
      'time.sleep(60)',
    ].join('\n');
    const definition = await scriptPipeline(sm, { name: 'sleeps', script });
    definition.Steps[0].Arguments.StoppingCondition = { MaxRuntimeInSeconds: 1 };
    await createPipeline(sm, 'sleeps', definition);
    const started = Date.now();
    const arn = await startExecution(sm, 'sleeps');
    const execution = await waitForExecution(sm, arn, 15_000);
    const step = (await executionSteps(sm, arn)).Script!;

    expect(Date.now() - started).toBeLessThan(10_000);
    expect(execution.PipelineExecutionStatus).toBe('Failed');
    expect(execution.FailureReason).toBe('Step failure: One or multiple steps failed.');
    expect(step.StepStatus).toBe('Failed');
    expect(step.FailureReason).toMatch(
      /^MaxRuntimeExceeded: Processing job pipelines-\S+ ran longer than StoppingCondition\.MaxRuntimeInSeconds \(1 s\) and was stopped$/,
    );
    const jobName = step.Metadata!.ProcessingJob!.Arn!.split('/').pop()!;
    const job = await sm.sagemaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: jobName }));
    expect(job.ProcessingJobStatus).toBe('Stopped');
    expect(job.FailureReason).toBeUndefined();
    expect(job.ExitMessage).toBe('sleeping past the limit');
    expect(job.ProcessingEndTime!.getTime() - job.ProcessingStartTime!.getTime()).toBeLessThan(8_000);

    const childPid = Number(
      fs.readFileSync(path.join(jobRoot(sm.stateDir, jobName), 'opt-ml/output/child.pid'), 'utf8'),
    );
    expect(await eventually(() => !running(childPid), 3_000)).toBe(true);
    expect(fs.readFileSync(jobLogPath(sm.stateDir, jobName), 'utf8')).toContain(
      'ran longer than StoppingCondition.MaxRuntimeInSeconds (1 s)',
    );
  });

  it('stops a training job with SecondaryStatus MaxRuntimeExceeded and no FailureReason', async () => {
    const sm = local!;
    await createPipeline(sm, 'endless-training', endlessTrainingPipeline(2));
    const arn = await startExecution(sm, 'endless-training');
    const execution = await waitForExecution(sm, arn, 15_000);
    const step = (await executionSteps(sm, arn)).Train!;

    expect(execution.PipelineExecutionStatus).toBe('Failed');
    expect(step.StepStatus).toBe('Failed');
    expect(step.FailureReason).toMatch(
      /^MaxRuntimeExceeded: Training job pipelines-\S+ ran longer than StoppingCondition\.MaxRuntimeInSeconds \(2 s\) and was stopped$/,
    );
    const jobName = step.Metadata!.TrainingJob!.Arn!.split('/').pop()!;
    const job = await sm.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName }));
    expect(job).toMatchObject({ TrainingJobStatus: 'Stopped', SecondaryStatus: 'MaxRuntimeExceeded' });
    expect(job.FailureReason).toBeUndefined();
    expect(job.TrainingTimeInSeconds).toBeGreaterThanOrEqual(2);
    expect(job.TrainingTimeInSeconds).toBeLessThan(8);
    // It really trained until it was stopped (the log holds rounds).
    expect(fs.readFileSync(jobLogPath(sm.stateDir, jobName), 'utf8')).toMatch(/^\[\d+\]#011train-rmse:/m);
  });

  it('leaves a job that ends within its limit alone', async () => {
    const sm = local!;
    const definition = await scriptPipeline(sm, { name: 'quick', script: 'print("done")' });
    definition.Steps[0].Arguments.StoppingCondition = { MaxRuntimeInSeconds: 30 };
    await createPipeline(sm, 'quick', definition);
    const execution = await waitForExecution(sm, await startExecution(sm, 'quick'), 15_000);
    expect(execution.PipelineExecutionStatus).toBe('Succeeded');
  });
});
