import { AwsError } from '../../../local/core/errors';
import type { EngineDeps, JobRequest, JobOutcome } from '../../../local/engine/deps';
import type { PipelineDefinition, StepDefinition } from '../../../local/engine/definition';
import type { ExecutionRecord } from '../../../local/engine/execution-record';
import { ExecutionRun, STEP_FAILURE_REASON } from '../../../local/engine/executor';
import { resolveParameters } from '../../../local/engine/parameters';

/** A job's scripted behaviour, carried in the step's Arguments under `Fake`. */
interface FakeJob {
  readonly fail?: string;
  readonly exceptionType?: string;
  readonly failTimes?: number;
  readonly waitForStop?: boolean;
  readonly ms?: number;
}

class FakeDeps implements EngineDeps {
  readonly jobs: JobRequest[] = [];
  readonly sleeps: number[] = [];
  readonly objects = new Map<string, string>();
  readonly lambdaEvents: unknown[] = [];
  lambdaAnswer: { payload: unknown; functionError?: string } = { payload: {} };
  cacheHit: ReturnType<EngineDeps['findCachedStep']>;
  running = 0;
  maxRunning = 0;
  private readonly failures = new Map<string, number>();

  async runJob(job: JobRequest): Promise<JobOutcome> {
    this.jobs.push(job);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      const fake = (job.request.Fake ?? {}) as FakeJob;
      const arn = `arn:aws:sagemaker:us-east-1:000000000000:${job.kind.toLowerCase()}-job/${job.name}`;
      if (fake.waitForStop) {
        await new Promise((resolve) => job.signal.addEventListener('abort', resolve, { once: true }));
        return { status: 'Stopped', arn, description: {} };
      }
      await new Promise((resolve) => setTimeout(resolve, fake.ms ?? 5));
      const key = JSON.stringify(job.request.Fake);
      const failedSoFar = this.failures.get(key) ?? 0;
      if (fake.fail && failedSoFar < (fake.failTimes ?? Infinity)) {
        this.failures.set(key, failedSoFar + 1);
        return {
          status: 'Failed',
          arn,
          description: {},
          failureReason: fake.fail,
          ...(fake.exceptionType ? { exceptionType: fake.exceptionType } : {}),
        };
      }
      const description =
        job.kind === 'Training'
          ? { ...job.request, ModelArtifacts: { S3ModelArtifacts: `s3://out/${job.name}/model.tar.gz` } }
          : { ...job.request };
      return { status: 'Completed', arn, description };
    } finally {
      this.running -= 1;
    }
  }

  readObject(uri: string): Promise<string> {
    const text = this.objects.get(uri);
    return text === undefined ? Promise.reject(new Error(`NoSuchKey: ${uri}`)) : Promise.resolve(text);
  }

  createModel(request: Record<string, unknown>) {
    return Promise.resolve({
      ...request,
      ModelArn: `arn:aws:sagemaker:us-east-1:000000000000:model/${String(request.ModelName)}`,
    });
  }

  registerModel(request: Record<string, unknown>) {
    return Promise.resolve({
      ...request,
      ModelPackageArn: 'arn:aws:sagemaker:us-east-1:000000000000:model-package/g/1',
    });
  }

  lambdaThrottles = 0;

  invokeLambda(_arn: string, event: unknown) {
    this.lambdaEvents.push(event);
    if (this.lambdaThrottles > 0) {
      this.lambdaThrottles -= 1;
      return Promise.reject(new AwsError('TooManyRequestsException', 'Rate exceeded', { status: 429 }));
    }
    return Promise.resolve(this.lambdaAnswer);
  }

  /** Functions whose workers were started, with how many jobs had started by then. */
  readonly prepared: { arn: string; jobsStarted: number }[] = [];

  prepareLambda(arn: string) {
    this.prepared.push({ arn, jobsStarted: this.jobs.length });
  }

  findCachedStep() {
    return this.cacheHit;
  }

  sleep(ms: number) {
    this.sleeps.push(ms);
    return Promise.resolve();
  }
}

function record(
  definition: PipelineDefinition,
  options: { parameters?: { Name: string; Value: string }[]; maxParallel?: number } = {},
): ExecutionRecord {
  return {
    PipelineArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/p',
    PipelineName: 'p',
    PipelineExecutionArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/p/execution/exec1',
    ExecutionId: 'exec1',
    PipelineExecutionDisplayName: 'execution-1',
    PipelineExecutionStatus: 'Executing',
    CreationTime: Date.now() / 1000,
    LastModifiedTime: Date.now() / 1000,
    ...(options.maxParallel
      ? { ParallelismConfiguration: { MaxParallelExecutionSteps: options.maxParallel } }
      : {}),
    PipelineDefinition: JSON.stringify(definition),
    Parameters: resolveParameters(definition.Parameters ?? [], options.parameters ?? []),
    Steps: [],
  };
}

async function run(
  definition: PipelineDefinition,
  deps: FakeDeps,
  options: Parameters<typeof record>[1] = {},
) {
  const saved: string[] = [];
  const execution = new ExecutionRun({
    record: record(definition, options),
    deps,
    persist: (r) => saved.push(r.PipelineExecutionStatus),
  }).start();
  const result = await execution.finished;
  const step = (name: string) => result.Steps.find((s) => s.StepName === name);
  return { result, step, saved };
}

const processing = (name: string, extra: Record<string, unknown> = {}) => ({
  Name: name,
  Type: 'Processing',
  Arguments: {
    ProcessingOutputConfig: {
      Outputs: [
        {
          OutputName: 'evaluation',
          S3Output: {
            S3Uri: {
              'Std:Join': { On: '/', Values: ['s3://out', { Get: 'Execution.PipelineExecutionId' }, name] },
            },
          },
        },
      ],
    },
    ...extra,
  },
});

const abaloneLike = (): PipelineDefinition => ({
  Version: '2020-12-01',
  Parameters: [
    { Name: 'Threshold', Type: 'Float', DefaultValue: 6.0 },
    { Name: 'Approval', Type: 'String', DefaultValue: 'PendingManualApproval' },
  ],
  Steps: [
    processing('Prep'),
    {
      Name: 'Train',
      Type: 'Training',
      Arguments: { Input: { Get: "Steps.Prep.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri" } },
    },
    {
      ...processing('Eval', { Model: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } }),
      PropertyFiles: [{ PropertyFileName: 'Report', OutputName: 'evaluation', FilePath: 'evaluation.json' }],
    },
    {
      Name: 'Check',
      Type: 'Condition',
      Arguments: {
        Conditions: [
          {
            Type: 'LessThanOrEqualTo',
            LeftValue: {
              'Std:JsonGet': {
                PropertyFile: { Get: 'Steps.Eval.PropertyFiles.Report' },
                Path: 'regression_metrics.rmse.value',
              },
            },
            RightValue: { Get: 'Parameters.Threshold' },
          },
        ],
        IfSteps: [
          {
            Name: 'Register',
            Type: 'RegisterModel',
            Arguments: { ModelPackageGroupName: 'g', ModelApprovalStatus: { Get: 'Parameters.Approval' } },
          },
          {
            Name: 'Model',
            Type: 'Model',
            Arguments: {
              PrimaryContainer: { ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } },
            },
          },
          {
            Name: 'Record',
            Type: 'Lambda',
            FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:record',
            Arguments: { model_name: { Get: 'Steps.Model.ModelName' } },
            OutputParameters: [{ OutputName: 'version', OutputType: 'Integer' }],
          },
        ],
        ElseSteps: [
          {
            Name: 'TooHigh',
            Type: 'Fail',
            Arguments: {
              ErrorMessage: {
                'Std:Join': { On: ' ', Values: ['RMSE above', { Get: 'Parameters.Threshold' }] },
              },
            },
          },
        ],
      },
    },
  ],
});

describe('ExecutionRun', () => {
  it('runs the DAG in dependency order, takes the If branch and never starts the other', async () => {
    const deps = new FakeDeps();
    deps.objects.set(
      's3://out/exec1/Eval/evaluation.json',
      JSON.stringify({ regression_metrics: { rmse: { value: 2.2 } } }),
    );
    deps.lambdaAnswer = { payload: { version: '4' } };
    const { result, step } = await run(abaloneLike(), deps, {
      parameters: [{ Name: 'Approval', Value: 'Approved' }],
    });
    // The Lambda step's worker starts with the execution, before the first job, not when the step is reached.
    expect(deps.prepared).toEqual([
      { arn: 'arn:aws:lambda:us-east-1:000000000000:function:record', jobsStarted: 0 },
    ]);

    expect(result.PipelineExecutionStatus).toBe('Succeeded');
    expect(result.Steps.map((s) => s.StepName)).toEqual([
      'Prep',
      'Train',
      'Eval',
      'Check',
      'Register',
      'Model',
      'Record',
    ]);
    expect(step('TooHigh')).toBeUndefined();
    expect(step('Check')?.Metadata).toEqual({ Condition: { Outcome: 'True' } });
    expect(deps.jobs.map((job) => job.name)).toEqual([
      expect.stringMatching(/^pipelines-exec1-prep-[a-z0-9]{10}$/),
      expect.stringMatching(/^pipelines-exec1-train-/),
      expect.stringMatching(/^pipelines-exec1-eval-/),
    ]);
    expect(deps.jobs[1]?.request.Input).toBe('s3://out/exec1/Prep');
    expect(step('Register')?.Metadata).toEqual({
      RegisterModel: { Arn: 'arn:aws:sagemaker:us-east-1:000000000000:model-package/g/1' },
    });
    expect((step('Register')?.properties as Record<string, unknown>).ModelApprovalStatus).toBe('Approved');
    expect(deps.lambdaEvents).toEqual([{ model_name: expect.stringMatching(/^pipelines-exec1-model-/) }]);
    expect(step('Record')?.Metadata).toEqual({
      Lambda: {
        Arn: 'arn:aws:lambda:us-east-1:000000000000:function:record',
        OutputParameters: [{ Name: 'version', Value: '4' }],
      },
    });
    expect(
      result.Steps.every(
        (s) => s.StepStatus === 'Succeeded' && s.AttemptCount !== undefined && s.EndTime! >= s.StartTime!,
      ),
    ).toBe(true);
  });

  it('ends Failed at a Fail step with its evaluated message, skipping the If branch', async () => {
    const deps = new FakeDeps();
    deps.objects.set(
      's3://out/exec1/Eval/evaluation.json',
      JSON.stringify({ regression_metrics: { rmse: { value: 2.2 } } }),
    );
    const { result, step } = await run(abaloneLike(), deps, {
      parameters: [{ Name: 'Threshold', Value: '0.5' }],
    });

    expect(result.PipelineExecutionStatus).toBe('Failed');
    expect(result.FailureReason).toBe('RMSE above 0.5');
    expect(step('TooHigh')).toMatchObject({
      StepStatus: 'Failed',
      FailureReason: 'RMSE above 0.5',
      Metadata: { Fail: { ErrorMessage: 'RMSE above 0.5' } },
    });
    expect(step('Check')?.Metadata).toEqual({ Condition: { Outcome: 'False' } });
    expect(['Register', 'Model', 'Record'].map(step)).toEqual([undefined, undefined, undefined]);
  });

  it('fails the execution when a job fails and starts nothing after it', async () => {
    const deps = new FakeDeps();
    const definition = abaloneLike();
    const failing = {
      ...definition,
      Steps: [processing('Prep', { Fake: { fail: 'AlgorithmError: boom' } }), ...definition.Steps.slice(1)],
    };
    const { result, step } = await run(failing, deps);

    expect(result.PipelineExecutionStatus).toBe('Failed');
    expect(result.FailureReason).toBe(STEP_FAILURE_REASON);
    expect(step('Prep')).toMatchObject({
      StepStatus: 'Failed',
      FailureReason: 'AlgorithmError: boom',
      AttemptCount: 1,
    });
    expect(step('Prep')?.Metadata).toEqual({
      ProcessingJob: { Arn: expect.stringContaining('processing-job/pipelines-exec1-prep-') },
    });
    expect(result.Steps).toHaveLength(1);
  });

  it('runs independent steps in parallel up to MaxParallelExecutionSteps', async () => {
    const definition: PipelineDefinition = {
      Steps: ['A', 'B', 'C', 'D'].map((name) => processing(name, { Fake: { ms: 30 } })),
    };
    const limited = new FakeDeps();
    expect((await run(definition, limited, { maxParallel: 2 })).result.PipelineExecutionStatus).toBe(
      'Succeeded',
    );
    expect(limited.maxRunning).toBe(2);
    const open = new FakeDeps();
    await run(definition, open);
    expect(open.maxRunning).toBe(4);
  });

  it('retries per RetryPolicies with backoff and counts attempts', async () => {
    const deps = new FakeDeps();
    const definition: PipelineDefinition = {
      Steps: [
        {
          ...processing('Flaky', {
            Fake: {
              fail: 'InternalServerError: lost the instance',
              exceptionType: 'SageMaker.JOB_INTERNAL_ERROR',
              failTimes: 2,
            },
          }),
          RetryPolicies: [
            {
              ExceptionType: ['SageMaker.JOB_INTERNAL_ERROR'],
              IntervalSeconds: 1,
              BackoffRate: 2,
              MaxAttempts: 3,
            },
          ],
        },
      ],
    };
    const { result, step } = await run(definition, deps);
    expect(result.PipelineExecutionStatus).toBe('Succeeded');
    expect(step('Flaky')?.AttemptCount).toBe(3);
    expect(deps.sleeps).toEqual([1000, 2000]);
    // Every attempt is a new job: names are unique, as on the service.
    expect(new Set(deps.jobs.map((job) => job.name)).size).toBe(3);
  });

  it('classes throttled AWS calls as Step.THROTTLING for retries', async () => {
    const deps = new FakeDeps();
    deps.lambdaThrottles = 1;
    deps.lambdaAnswer = { payload: {} };
    const lambda: StepDefinition = {
      Name: 'L',
      Type: 'Lambda',
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      Arguments: {},
      RetryPolicies: [{ ExceptionType: ['Step.THROTTLING'], IntervalSeconds: 2, MaxAttempts: 1 }],
    };
    const { step } = await run({ Steps: [lambda] }, deps);
    expect(step('L')).toMatchObject({ StepStatus: 'Succeeded', AttemptCount: 2 });
    expect(deps.sleeps).toEqual([2000]);
  });

  it("resolves Execution.ProcessingJobName to the step's own job name", async () => {
    const deps = new FakeDeps();
    await run({ Steps: [processing('P', { Own: { Get: 'Execution.ProcessingJobName' } })] }, deps);
    expect(deps.jobs[0]?.request.Own).toBe(deps.jobs[0]?.name);
  });

  it('does not retry failures no policy names', async () => {
    const deps = new FakeDeps();
    const definition: PipelineDefinition = {
      Steps: [
        {
          ...processing('Broken', { Fake: { fail: 'AlgorithmError: exit 1' } }),
          RetryPolicies: [{ ExceptionType: ['Step.THROTTLING'], MaxAttempts: 5 }],
        },
      ],
    };
    const { step } = await run(definition, deps);
    expect(step('Broken')).toMatchObject({ StepStatus: 'Failed', AttemptCount: 1 });
    expect(deps.sleeps).toEqual([]);
  });

  it('reuses an earlier identical step on a cache hit and says where it came from', async () => {
    const deps = new FakeDeps();
    const source = 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/p/execution/old';
    deps.cacheHit = {
      pipelineExecutionArn: source,
      step: {
        StepName: 'Prep',
        StepStatus: 'Succeeded',
        Metadata: { ProcessingJob: { Arn: 'old-job' } },
        properties: { From: 'cache' },
      },
    };
    const cached: PipelineDefinition = {
      Steps: [{ ...processing('Prep'), CacheConfig: { Enabled: true, ExpireAfter: 'P30D' } }],
    };
    const { step } = await run(cached, deps);
    expect(step('Prep')).toMatchObject({
      StepStatus: 'Succeeded',
      CacheHitResult: { SourcePipelineExecutionArn: source },
      Metadata: { ProcessingJob: { Arn: 'old-job' } },
    });
    expect(deps.jobs).toHaveLength(0);
  });

  it('stops: Stopping, then the running step and the execution are Stopped', async () => {
    const deps = new FakeDeps();
    const definition: PipelineDefinition = {
      Steps: [
        processing('Long', { Fake: { waitForStop: true } }),
        processing('After', { Other: { Get: 'Steps.Long.ProcessingJobName' } }),
      ],
    };
    const execution = new ExecutionRun({
      record: record(definition),
      deps,
      persist: () => undefined,
    }).start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    execution.stop();
    const result = await execution.finished;
    expect(result.PipelineExecutionStatus).toBe('Stopped');
    expect(result.Steps.map((s) => [s.StepName, s.StepStatus])).toEqual([['Long', 'Stopped']]);
  });

  it('fails steps of types the local AWS cannot run, naming the type', async () => {
    const deps = new FakeDeps();
    const { result, step } = await run({ Steps: [{ Name: 'Wait', Type: 'Callback', Arguments: {} }] }, deps);
    expect(result.PipelineExecutionStatus).toBe('Failed');
    expect(step('Wait')?.FailureReason).toMatch(/^Step type Callback is not supported by the local AWS/);
  });

  it('fails a Lambda step whose function raised, and a step whose expression cannot resolve', async () => {
    const deps = new FakeDeps();
    deps.lambdaAnswer = { payload: { errorMessage: 'no such table' }, functionError: 'Unhandled' };
    const lambda: StepDefinition = {
      Name: 'L',
      Type: 'Lambda',
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      Arguments: {},
    };
    const { step } = await run({ Steps: [lambda] }, deps);
    expect(step('L')?.FailureReason).toBe(
      'Lambda function arn:aws:lambda:us-east-1:000000000000:function:f failed (Unhandled): no such table',
    );

    const bad = await run({ Steps: [processing('P', { X: { Get: 'Parameters.Nope' } })] }, new FakeDeps());
    expect(bad.step('P')?.FailureReason).toContain('Parameters.Nope');
  });

  it('runs 31 nested conditions with literal operands', async () => {
    let steps: PipelineDefinition['Steps'] = [];
    for (let i = 0; i < 31; i += 1) {
      steps = [
        {
          Name: `C${i}`,
          Type: 'Condition',
          Arguments: {
            Conditions: [{ Type: 'LessThanOrEqualTo', LeftValue: 3.0, RightValue: 6.0 }],
            IfSteps: steps,
            ElseSteps: [],
          },
        },
      ];
    }
    const { result } = await run({ Steps: steps }, new FakeDeps());
    expect(result.PipelineExecutionStatus).toBe('Succeeded');
    expect(result.Steps).toHaveLength(31);
  });
});
