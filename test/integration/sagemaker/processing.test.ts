import * as fs from 'node:fs';

import {
  DescribePipelineExecutionCommand,
  DescribeProcessingJobCommand,
  ListProcessingJobsCommand,
  StopPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';

import { jobLogPath } from '../../../local/runtimes/job-directory';
import {
  createPipeline,
  executionSteps,
  getObjectText,
  putObject,
  scriptPipeline,
  startExecution,
  startLocalSageMaker,
  stopLocalSageMaker,
  waitForExecution,
  type LocalSageMaker,
  type ScriptDefinition,
} from './helpers';

jest.setTimeout(60_000);

/** A pipeline parameterized by where its input comes from, writing to a per-execution output prefix. */
function withPerExecutionIo(definition: ScriptDefinition): ScriptDefinition {
  const args = definition.Steps[0].Arguments;
  args.ProcessingInputs[0]!.S3Input.S3Uri = { Get: 'Parameters.InputUri' };
  args.ProcessingOutputConfig.Outputs[0]!.S3Output.S3Uri = {
    'Std:Join': { On: '/', Values: ['s3://data-bucket/out', { Get: 'Execution.PipelineExecutionId' }] },
  };
  return {
    ...definition,
    Parameters: [{ Name: 'InputUri', Type: 'String', DefaultValue: 's3://data-bucket/a/' }],
  };
}

describe('processing jobs on the local SageMaker', () => {
  let local: LocalSageMaker | undefined;

  beforeAll(async () => {
    local = await startLocalSageMaker();
    await putObject(local, 's3://data-bucket/a/input.txt', 'from A');
    await putObject(local, 's3://data-bucket/b/input.txt', 'from B');
  });

  afterAll(() => stopLocalSageMaker(local));

  it('fails the execution when the script exits 1; the step says why with the end of stderr', async () => {
    const sm = local!;
    const script = [
      'import sys',
      'print("starting", flush=True)',
      'for i in range(30): print(f"noise line {i}", file=sys.stderr)',
      'print("ValueError: row 17 has 3 columns, expected 9", file=sys.stderr)',
      'sys.exit(1)',
    ].join('\n');
    await createPipeline(sm, 'exits-one', await scriptPipeline(sm, { name: 'exits-one', script }));
    const arn = await startExecution(sm, 'exits-one');
    const execution = await waitForExecution(sm, arn);
    const step = (await executionSteps(sm, arn)).Script!;

    expect(execution.PipelineExecutionStatus).toBe('Failed');
    expect(execution.FailureReason).toBe('Step failure: One or multiple steps failed.');
    expect(step.StepStatus).toBe('Failed');
    expect(step.FailureReason).toMatch(/^AlgorithmError: See job logs for more information \(exit code 1\)/);
    expect(step.FailureReason).toMatch(/ValueError: row 17 has 3 columns, expected 9$/);
    expect(step.FailureReason!.length).toBeLessThanOrEqual(1024);

    const jobArn = step.Metadata!.ProcessingJob!.Arn!;
    const job = await sm.sagemaker.send(
      new DescribeProcessingJobCommand({ ProcessingJobName: jobArn.split('/').pop() }),
    );
    expect(job).toMatchObject({
      ProcessingJobStatus: 'Failed',
      ProcessingJobArn: jobArn,
      FailureReason: step.FailureReason,
    });
    const log = fs.readFileSync(jobLogPath(sm.stateDir, jobArn), 'utf8');
    expect(log).toContain('starting');
    expect(log).toContain('noise line 0');
  });

  it('uses /opt/ml/output/message as the exit message', async () => {
    const sm = local!;
    const script = [
      'import sys',
      'open("/opt/ml/output/message", "w").write("input has no rows")',
      'sys.exit(2)',
    ].join('\n');
    await createPipeline(sm, 'exit-message', await scriptPipeline(sm, { name: 'exit-message', script }));
    const arn = await startExecution(sm, 'exit-message');
    await waitForExecution(sm, arn);
    const step = (await executionSteps(sm, arn)).Script!;
    expect(step.FailureReason).toBe('AlgorithmError: input has no rows (exit code 2)');
    const job = await sm.sagemaker.send(
      new DescribeProcessingJobCommand({
        ProcessingJobName: step.Metadata!.ProcessingJob!.Arn!.split('/').pop(),
      }),
    );
    expect(job.ExitMessage).toBe('input has no rows');
  });

  it('runs a script with hard-coded /opt/ml paths unchanged, twice in parallel, writing nothing outside the state dir', async () => {
    const sm = local!;
    const script = [
      'import os, tempfile, time',
      'text = open("/opt/ml/processing/input/data/input.txt").read()',
      'time.sleep(0.5)',
      'os.makedirs("/opt/ml/processing/output", exist_ok=True)',
      'open("/opt/ml/processing/output/result.txt", "w").write(text.upper())',
      'with tempfile.NamedTemporaryFile(delete=False) as handle: handle.write(b"scratch")',
      'open("/opt/written-by-the-job.txt", "w").write("stays in the job folder")',
      'print("TMP", tempfile.gettempdir())',
      'print("HOME", os.path.expanduser("~"))',
    ].join('\n');
    const definition = withPerExecutionIo(
      await scriptPipeline(sm, {
        name: 'hard-coded',
        script,
        inputs: { '/opt/ml/processing/input/data': 's3://data-bucket/a/' },
        outputs: { '/opt/ml/processing/output': 's3://data-bucket/out' },
      }),
    );
    await createPipeline(sm, 'hard-coded', definition);
    const [first, second] = await Promise.all([
      startExecution(sm, 'hard-coded', { InputUri: 's3://data-bucket/a/' }),
      startExecution(sm, 'hard-coded', { InputUri: 's3://data-bucket/b/' }),
    ]);
    const results = await Promise.all([first!, second!].map((arn) => waitForExecution(sm, arn)));
    expect(results.map((execution) => execution.PipelineExecutionStatus)).toEqual(['Succeeded', 'Succeeded']);

    const outputs = await Promise.all(
      [first!, second!].map((arn) =>
        getObjectText(sm, `s3://data-bucket/out/${arn.split('/').pop()}/result.txt`),
      ),
    );
    expect(outputs).toEqual(['FROM A', 'FROM B']);
    const steps = await Promise.all(
      [first!, second!].map(async (arn) => (await executionSteps(sm, arn)).Script!),
    );
    expect(+steps[0]!.StartTime! < +steps[1]!.EndTime! && +steps[1]!.StartTime! < +steps[0]!.EndTime!).toBe(
      true,
    );

    expect(fs.existsSync('/opt/ml')).toBe(false);
    expect(fs.existsSync('/opt/written-by-the-job.txt')).toBe(false);
    for (const step of steps) {
      const log = fs.readFileSync(jobLogPath(sm.stateDir, step.Metadata!.ProcessingJob!.Arn!), 'utf8');
      const folders = [...log.matchAll(/^(TMP|HOME) (.+)$/gm)].map((match) => match[2]!);
      expect(folders).toHaveLength(2);
      for (const folder of folders) expect(folder.startsWith(sm.stateDir)).toBe(true);
    }
  });

  it('rewrites /opt/ml in the arguments where mount namespaces are unavailable, and says so in the log', async () => {
    const sm = local!;
    const script = [
      'import sys',
      'text = open(sys.argv[1] + "/input.txt").read()',
      'open(sys.argv[2] + "/result.txt", "w").write(text[::-1])',
    ].join('\n');
    const definition = await scriptPipeline(sm, {
      name: 'rewrite',
      script,
      args: ['/opt/ml/processing/input/data', '/opt/ml/processing/output'],
      inputs: { '/opt/ml/processing/input/data': 's3://data-bucket/a/' },
      outputs: { '/opt/ml/processing/output': 's3://data-bucket/rewritten' },
    });
    await createPipeline(sm, 'rewrite', definition);
    process.env.MLOPS_SANDBOX = 'rewrite';
    try {
      const arn = await startExecution(sm, 'rewrite');
      expect((await waitForExecution(sm, arn)).PipelineExecutionStatus).toBe('Succeeded');
      const step = (await executionSteps(sm, arn)).Script!;
      expect(fs.readFileSync(jobLogPath(sm.stateDir, step.Metadata!.ProcessingJob!.Arn!), 'utf8')).toContain(
        'mount namespaces are unavailable',
      );
    } finally {
      delete process.env.MLOPS_SANDBOX;
    }
    expect(await getObjectText(sm, 's3://data-bucket/rewritten/result.txt')).toBe('A morf');
  });

  it('fails with ClientError for a missing input and names an unsupported image and the supported ones', async () => {
    const sm = local!;
    const missing = await scriptPipeline(sm, {
      name: 'missing-input',
      script: 'print(1)',
      inputs: { '/opt/ml/processing/input/data': 's3://data-bucket/nothing-here/' },
    });
    await createPipeline(sm, 'missing-input', missing);
    const unsupported = await scriptPipeline(sm, { name: 'other-image', script: 'print(1)' });
    unsupported.Steps[0].Arguments.AppSpecification.ImageUri =
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-r-image:4.1';
    await createPipeline(sm, 'other-image', unsupported);

    const [missingArn, unsupportedArn] = [
      await startExecution(sm, 'missing-input'),
      await startExecution(sm, 'other-image'),
    ];
    await Promise.all([waitForExecution(sm, missingArn), waitForExecution(sm, unsupportedArn)]);
    expect((await executionSteps(sm, missingArn)).Script?.FailureReason).toBe(
      'ClientError: No S3 objects found under S3 URL "s3://data-bucket/nothing-here/" (processing input input-0)',
    );
    const reason = (await executionSteps(sm, unsupportedArn)).Script?.FailureReason ?? '';
    expect(reason).toMatch(
      /^ClientError: image 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/my-r-image:4\.1 is not supported by the local AWS for processing/,
    );
    expect(reason).toContain('sagemaker-scikit-learn:{0.23-1,1.0-1,1.2-1}');
    expect(reason).toContain('MLOPS_IMAGE_ALIASES');
  });

  it('retries a job that died of an internal error per its RetryPolicies, counting attempts', async () => {
    const sm = local!;
    const script = [
      'import os, signal',
      // Outside the job folder (a retry starts a fresh one) but inside the state dir.
      'flag = os.path.join(os.environ["TMPDIR"], "..", "..", "first-attempt-done")',
      'if not os.path.exists(flag):',
      '    open(flag, "w").close()',
      '    os.kill(os.getpid(), signal.SIGKILL)',
      'print("second attempt ok")',
    ].join('\n');
    const definition = await scriptPipeline(sm, {
      name: 'flaky',
      script,
      inputs: { '/opt/ml/processing/input/data': 's3://data-bucket/a/' },
    });
    definition.Steps[0].RetryPolicies = [
      { ExceptionType: ['SageMaker.JOB_INTERNAL_ERROR'], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 2 },
    ];
    await createPipeline(sm, 'flaky', definition);
    const arn = await startExecution(sm, 'flaky');
    expect((await waitForExecution(sm, arn)).PipelineExecutionStatus).toBe('Succeeded');
    expect((await executionSteps(sm, arn)).Script).toMatchObject({
      StepStatus: 'Succeeded',
      AttemptCount: 2,
    });
  });

  it('reuses an identical earlier step when CacheConfig is on', async () => {
    const sm = local!;
    const definition = await scriptPipeline(sm, {
      name: 'cached',
      script: 'open("/opt/ml/processing/output/x.txt", "w").write("x")',
      outputs: { '/opt/ml/processing/output': 's3://data-bucket/cached' },
    });
    definition.Steps[0].CacheConfig = { Enabled: true, ExpireAfter: 'PT1H' };
    await createPipeline(sm, 'cached', definition);
    const first = await startExecution(sm, 'cached');
    await waitForExecution(sm, first);
    const second = await startExecution(sm, 'cached');
    expect((await waitForExecution(sm, second)).PipelineExecutionStatus).toBe('Succeeded');
    const [firstStep, secondStep] = [
      (await executionSteps(sm, first)).Script!,
      (await executionSteps(sm, second)).Script!,
    ];
    expect(secondStep.CacheHitResult).toEqual({ SourcePipelineExecutionArn: first });
    expect(secondStep.Metadata).toEqual(firstStep.Metadata);
    const jobs = await sm.sagemaker.send(
      new ListProcessingJobsCommand({ NameContains: first.split('/').pop() }),
    );
    expect(jobs.ProcessingJobSummaries).toHaveLength(1);
  });

  it('stops a running execution: Stopping, then Stopped, with the job process killed', async () => {
    const sm = local!;
    const script = ['import os, time', 'print("PID", os.getpid(), flush=True)', 'time.sleep(60)'].join('\n');
    await createPipeline(sm, 'sleeper', await scriptPipeline(sm, { name: 'sleeper', script }));
    const arn = await startExecution(sm, 'sleeper');
    const pid = await waitForLogLine(sm, arn, /^PID (\d+)$/m);
    await sm.sagemaker.send(new StopPipelineExecutionCommand({ PipelineExecutionArn: arn }));
    const stopping = await sm.sagemaker.send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }),
    );
    expect(['Stopping', 'Stopped']).toContain(stopping.PipelineExecutionStatus);
    expect((await waitForExecution(sm, arn, 10_000)).PipelineExecutionStatus).toBe('Stopped');
    expect((await executionSteps(sm, arn)).Script?.StepStatus).toBe('Stopped');
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(
      sm.sagemaker.send(new StopPipelineExecutionCommand({ PipelineExecutionArn: arn })),
    ).rejects.toThrow(/already Stopped/);
  });

  it('refuses an input key with ".." segments instead of writing outside the job folder', async () => {
    const sm = local!;
    // Stored in-process: the key is what a client can store in S3, whatever a server does with its path.
    // Enough segments to climb to / from any job folder: staging by joining would write /escaped-<pid>.txt.
    const key = `escape/${'../'.repeat(40)}escaped-${process.pid}.txt`;
    await sm.aws.deps.s3.putObject({ bucket: 'data-bucket', key, body: 'outside' });
    const definition = await scriptPipeline(sm, {
      name: 'escape',
      script: 'print("never runs")',
      inputs: { '/opt/ml/processing/input/data': 's3://data-bucket/escape/' },
    });
    await createPipeline(sm, 'escape', definition);
    const arn = await startExecution(sm, 'escape');
    expect((await waitForExecution(sm, arn)).PipelineExecutionStatus).toBe('Failed');
    const step = (await executionSteps(sm, arn)).Script!;
    expect(step.FailureReason).toMatch(
      /^ClientError: .*S3 key "escape\/(\.\.\/){40}escaped-\d+\.txt" has a "\." or "\.\." path segment/,
    );
    expect(fs.existsSync(`/escaped-${process.pid}.txt`)).toBe(false);
  });
});

/** Waits until the execution's processing job log shows a line; returns the line's first number. */
async function waitForLogLine(local: LocalSageMaker, arn: string, pattern: RegExp): Promise<number> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const jobArn = (await executionSteps(local, arn)).Script?.Metadata?.ProcessingJob?.Arn;
    const log =
      jobArn && fs.existsSync(jobLogPath(local.stateDir, jobArn))
        ? fs.readFileSync(jobLogPath(local.stateDir, jobArn), 'utf8')
        : '';
    const match = pattern.exec(log);
    if (match) return Number(match[1]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no line matching ${pattern} in the job log of ${arn}`);
}
