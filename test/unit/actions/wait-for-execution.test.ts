import {
  DescribePipelineDefinitionForExecutionCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  SageMakerClient,
  StopPipelineExecutionCommand,
  type PipelineExecutionStep,
} from '@aws-sdk/client-sagemaker';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

import type { PipelineClients } from '../../../src/pipeline/clients';
import { PollInterval } from '../../../src/pipeline/poll-interval';
import { waitForExecution, type WaitOptions } from '../../../src/pipeline/wait';
import { fakeClock, recordingReporter } from './fake-clock';

const sagemaker = mockClient(SageMakerClient);
afterEach(() => sagemaker.reset());

const ARN = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e1';
const clients = (): PipelineClients => ({
  sagemaker: new SageMakerClient({ region: 'us-east-1' }),
  s3: async () => new S3Client({ region: 'us-east-1' }),
});
const step = (
  name: string,
  status: string,
  extra: Partial<PipelineExecutionStep> = {},
): PipelineExecutionStep => ({ StepName: name, StepStatus: status as never, ...extra });

function options(extra: Partial<WaitOptions> = {}): WaitOptions {
  return {
    executionArn: ARN,
    timeoutMinutes: 120,
    poll: { minSeconds: 5, maxSeconds: 30 },
    stopOnTimeout: false,
    stopOnCancel: true,
    clock: fakeClock(),
    random: () => 0.5,
    ...extra,
  };
}

/** An execution that reports the given (status, steps) snapshots one poll after another, then stays on the last. */
function scripted(snapshots: [string, PipelineExecutionStep[]][]): void {
  const execution = sagemaker.on(DescribePipelineExecutionCommand);
  const steps = sagemaker.on(ListPipelineExecutionStepsCommand);
  for (const [status, list] of snapshots) {
    execution.resolvesOnce({
      PipelineExecutionStatus: status as never,
      CreationTime: new Date(0),
      LastModifiedTime: new Date(90_000),
    });
    steps.resolvesOnce({ PipelineExecutionSteps: list });
  }
  const [lastStatus, lastSteps] = snapshots[snapshots.length - 1] ?? ['Executing', []];
  execution.resolves({
    PipelineExecutionStatus: lastStatus as never,
    CreationTime: new Date(0),
    LastModifiedTime: new Date(90_000),
  });
  steps.resolves({ PipelineExecutionSteps: lastSteps });
  sagemaker.on(DescribePipelineDefinitionForExecutionCommand).resolves({
    PipelineDefinition: '{"Version":"2020-12-01","Steps":[{"Name":"A","Type":"Fail","Arguments":{}}]}',
  });
}

test('reports every step transition once and ends with the steps, failure and reason', async () => {
  scripted([
    ['Executing', [step('Train', 'Starting')]],
    ['Executing', [step('Train', 'Executing')]],
    ['Executing', [step('Train', 'Executing')]],
    [
      'Failed',
      [
        step('Train', 'Failed', {
          FailureReason: 'AlgorithmError: bad',
          Metadata: { TrainingJob: { Arn: 'arn:aws:sagemaker:us-east-1:1:training-job/t1' } },
        }),
      ],
    ],
  ]);
  const reporter = recordingReporter();
  const report = await waitForExecution(clients(), options(), reporter);
  expect(reporter.transitions.map((t) => `${t.step.name}:${t.to}`)).toEqual([
    'Train:Starting',
    'Train:Executing',
    'Train:Failed',
  ]);
  expect(report).toMatchObject({
    status: 'Failed',
    outcome: 'finished',
    failureReason: 'AlgorithmError: bad',
    durationSeconds: 90,
  });
  expect(report.failedStep).toMatchObject({
    name: 'Train',
    kind: 'TrainingJob',
    resourceArn: 'arn:aws:sagemaker:us-east-1:1:training-job/t1',
  });
  expect(sagemaker.commandCalls(StopPipelineExecutionCommand)).toHaveLength(0);
});

test('a timeout above 60 minutes is honoured; polls stay between the bounds and the execution keeps running', async () => {
  scripted([['Executing', [step('Train', 'Executing')]]]);
  const clock = fakeClock();
  const started = clock.now();
  const report = await waitForExecution(
    clients(),
    options({ timeoutMinutes: 150, clock }),
    recordingReporter(),
  );
  expect(report.outcome).toBe('timed-out');
  expect(clock.now() - started).toBe(150 * 60_000);
  expect(Math.max(...clock.sleeps.slice(0, -1))).toBeLessThanOrEqual(30_000);
  expect(Math.min(...clock.sleeps.slice(0, -1))).toBeGreaterThanOrEqual(5_000);
  // About two calls per poll at the 30 s maximum: a two-and-a-half-hour wait costs ~600 calls, not thousands.
  expect(sagemaker.commandCalls(DescribePipelineExecutionCommand).length).toBeLessThan(320);
  expect(sagemaker.commandCalls(StopPipelineExecutionCommand)).toHaveLength(0);
});

test('stop-on-timeout stops the execution and waits until it is Stopped', async () => {
  scripted([['Executing', [step('Train', 'Executing')]]]);
  sagemaker.on(StopPipelineExecutionCommand).callsFake(() => {
    sagemaker.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Stopped' });
    sagemaker
      .on(ListPipelineExecutionStepsCommand)
      .resolves({ PipelineExecutionSteps: [step('Train', 'Stopped')] });
    return {};
  });
  const report = await waitForExecution(
    clients(),
    options({ timeoutMinutes: 0.05, stopOnTimeout: true }),
    recordingReporter(),
  );
  expect(report).toMatchObject({ outcome: 'timed-out', stopRequested: true, status: 'Stopped' });
  expect(sagemaker.commandCalls(StopPipelineExecutionCommand)[0]?.args[0].input).toMatchObject({
    PipelineExecutionArn: ARN,
  });
});

test('throttling and 5xx while polling are ridden out with a warning', async () => {
  const throttled = Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });
  const internal = Object.assign(new Error('oops'), {
    name: 'InternalFailure',
    $metadata: { httpStatusCode: 500 },
  });
  sagemaker
    .on(DescribePipelineExecutionCommand)
    .resolvesOnce({ PipelineExecutionStatus: 'Executing' })
    .rejectsOnce(throttled)
    .rejectsOnce(internal)
    .resolves({ PipelineExecutionStatus: 'Succeeded' });
  sagemaker
    .on(ListPipelineExecutionStepsCommand)
    .resolves({ PipelineExecutionSteps: [step('A', 'Succeeded')] });
  sagemaker.on(DescribePipelineDefinitionForExecutionCommand).resolves({});
  const reporter = recordingReporter();
  const report = await waitForExecution(clients(), options(), reporter);
  expect(report.status).toBe('Succeeded');
  expect(reporter.warnings).toEqual([
    expect.stringContaining('ThrottlingException: Rate exceeded'),
    expect.stringContaining('InternalFailure: oops'),
  ]);
});

test('before the first successful poll, even a dropped connection fails the wait (wrong endpoint or credentials)', async () => {
  sagemaker
    .on(DescribePipelineExecutionCommand)
    .rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }));
  await expect(waitForExecution(clients(), options(), recordingReporter())).rejects.toThrow('ECONNREFUSED');
});

test('any other error fails the wait (e.g. an execution that does not exist)', async () => {
  sagemaker.on(DescribePipelineExecutionCommand).rejects(
    Object.assign(new Error('Pipeline execution not found'), {
      name: 'ResourceNotFound',
      $metadata: { httpStatusCode: 400 },
    }),
  );
  await expect(waitForExecution(clients(), options(), recordingReporter())).rejects.toThrow(
    'Pipeline execution not found',
  );
});

test('cancellation stops the execution (stop-on-cancel) without waiting for it', async () => {
  scripted([['Executing', [step('Train', 'Executing')]]]);
  sagemaker.on(StopPipelineExecutionCommand).resolves({});
  const controller = new AbortController();
  const clock = fakeClock();
  const sleep = clock.sleep;
  clock.sleep = async (ms, signal) => {
    controller.abort();
    await sleep(ms, signal);
  };
  const report = await waitForExecution(
    clients(),
    options({ clock, signal: controller.signal }),
    recordingReporter(),
  );
  expect(report).toMatchObject({ outcome: 'cancelled', stopRequested: true, status: 'Executing' });
  expect(sagemaker.commandCalls(StopPipelineExecutionCommand)).toHaveLength(1);
});

test('poll intervals reset to the minimum on activity and grow to the maximum, with jitter inside the bounds', () => {
  const interval = new PollInterval({ minSeconds: 2, maxSeconds: 20 }, () => 0.5);
  expect(
    [false, false, false, false, false, false, false].map((activity) => interval.next(activity)),
  ).toEqual([3000, 4500, 6750, 10125, 15188, 20000, 20000]);
  expect(interval.next(true)).toBe(2000);
  const jittery = new PollInterval({ minSeconds: 2, maxSeconds: 20 }, () => 1);
  expect(jittery.next(true)).toBe(2400);
  const low = new PollInterval({ minSeconds: 2, maxSeconds: 20 }, () => 0);
  expect(low.next(true)).toBe(2000);
});
