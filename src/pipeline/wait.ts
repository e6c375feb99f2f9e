import {
  DescribePipelineDefinitionForExecutionCommand,
  DescribePipelineExecutionCommand,
  StopPipelineExecutionCommand,
  type DescribePipelineExecutionCommandOutput,
} from '@aws-sdk/client-sagemaker';

import { systemClock, type Clock } from '../aws/clock';
import { describeError, isTransientError } from '../aws/transient-errors';
import { secondsBetween } from '../report/format';
import { StepProgress } from '../report/progress';
import type { Reporter } from '../report/reporter';
import type { PipelineClients } from './clients';
import { collectExecutionResults, type ExecutionResults } from './execution-results';
import { PollInterval, type PollBounds } from './poll-interval';
import { listExecutionSteps, type StepView } from './steps';

export const TERMINAL_EXECUTION_STATUSES: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Stopped']);

export interface WaitOptions {
  readonly executionArn: string;
  /** Fractions allowed (0.05 = 3 s), any size: the wait is ours, not a capped SDK waiter. */
  readonly timeoutMinutes: number;
  readonly poll: PollBounds;
  /** Stop the execution when the timeout passes (and wait for it to end Stopped). */
  readonly stopOnTimeout: boolean;
  /** Aborted when the workflow is cancelled (SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
  /** Stop the execution when `signal` aborts. */
  readonly stopOnCancel: boolean;
  /**
   * After a stop on cancellation, keep polling until the execution has ended. The CLI wants that (it shuts
   * the local AWS down next); an action does not, as the runner kills it seconds after a cancel.
   */
  readonly watchStopOnCancel?: boolean;
  readonly clock?: Clock;
  readonly random?: () => number;
}

/** How the wait ended: the execution finished, the timeout passed, or the run was cancelled. */
export type WaitOutcome = 'finished' | 'timed-out' | 'cancelled';

export interface ExecutionReport extends ExecutionResults {
  readonly executionArn: string;
  readonly pipelineArn?: string;
  readonly displayName?: string;
  /** The execution's last known status (Executing when the wait timed out before it ended). */
  readonly status: string;
  readonly outcome: WaitOutcome;
  /** True when this wait asked SageMaker to stop the execution. */
  readonly stopRequested: boolean;
  readonly steps: readonly StepView[];
  readonly failedStep?: StepView;
  readonly failureReason?: string;
  readonly durationSeconds?: number;
  /** The execution's definition as it ran (for the DAG and property files); absent when unreadable. */
  readonly definition?: unknown;
}

// After asking for a stop, how long to watch for the Stopped status before giving up watching.
const STOP_GRACE_MS = 5 * 60_000;

/**
 * Follows an execution to its end: reports every step transition once, polls quickly while steps change
 * and slower through long steps, rides out throttling and 5xx, honours any timeout, and can stop the
 * execution on timeout or cancellation. Then gathers what the execution produced.
 */
export async function waitForExecution(
  clients: PipelineClients,
  options: WaitOptions,
  reporter: Reporter,
): Promise<ExecutionReport> {
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + options.timeoutMinutes * 60_000;
  const poll = new PollInterval(options.poll, options.random);
  const progress = new StepProgress();
  let state: Observation | undefined;
  let outcome: WaitOutcome | undefined;
  while (!outcome) {
    // Until one poll has worked, an error means a wrong ARN, endpoint or credentials: fail at once.
    state =
      (await observe(clients, options, { clock, reporter, tolerateTransient: state !== undefined })) ?? state;
    const transitions = state ? progress.observe(state.steps) : [];
    for (const transition of transitions) reporter.stepTransition(transition);
    if (state && TERMINAL_EXECUTION_STATUSES.has(state.status)) outcome = 'finished';
    else if (options.signal?.aborted) outcome = 'cancelled';
    else if (clock.now() >= deadline) outcome = 'timed-out';
    else {
      const starting = state?.steps.some((step) => step.status === 'Starting') ?? false;
      await clock.sleep(
        Math.min(poll.next(transitions.length > 0 || starting), Math.max(0, deadline - clock.now())),
        options.signal,
      );
    }
  }
  const stopRequested =
    (outcome === 'timed-out' && options.stopOnTimeout) || (outcome === 'cancelled' && options.stopOnCancel);
  if (stopRequested)
    state =
      (await stopExecution(clients, options, {
        clock,
        reporter,
        progress,
        watch: outcome === 'timed-out' || options.watchStopOnCancel === true,
      })) ?? state;
  return buildReport(clients, options, { state, outcome, stopRequested, clock, reporter });
}

interface Observation {
  readonly execution: DescribePipelineExecutionCommandOutput;
  readonly status: string;
  readonly steps: StepView[];
}

/** One poll; a transient failure (already retried by the SDK) is reported and yields undefined when tolerated. */
async function observe(
  clients: PipelineClients,
  options: WaitOptions,
  context: { clock: Clock; reporter: Reporter; tolerateTransient: boolean },
): Promise<Observation | undefined> {
  const { clock, reporter } = context;
  try {
    const execution = await clients.sagemaker.send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn: options.executionArn }),
    );
    const steps = await listExecutionSteps(clients.sagemaker, options.executionArn, clock.now());
    return { execution, status: execution.PipelineExecutionStatus ?? 'Unknown', steps };
  } catch (error) {
    if (!context.tolerateTransient || !isTransientError(error)) throw error;
    reporter.warning(
      `Polling the execution failed for now (${describeError(error)}); trying again at the next poll.`,
    );
    return undefined;
  }
}

async function stopExecution(
  clients: PipelineClients,
  options: WaitOptions,
  context: { clock: Clock; reporter: Reporter; progress: StepProgress; watch: boolean },
): Promise<Observation | undefined> {
  const { clock, reporter } = context;
  reporter.info(`Stopping execution ${options.executionArn}`);
  try {
    await clients.sagemaker.send(
      new StopPipelineExecutionCommand({ PipelineExecutionArn: options.executionArn }),
    );
  } catch (error) {
    reporter.warning(`Could not stop execution ${options.executionArn}: ${describeError(error)}`);
    return undefined;
  }
  if (!context.watch) return undefined;
  const until = clock.now() + STOP_GRACE_MS;
  let state: Observation | undefined;
  while (clock.now() < until) {
    state = (await observe(clients, options, { clock, reporter, tolerateTransient: true })) ?? state;
    for (const transition of state ? context.progress.observe(state.steps) : [])
      reporter.stepTransition(transition);
    if (state && TERMINAL_EXECUTION_STATUSES.has(state.status)) return state;
    await clock.sleep(Math.round(options.poll.minSeconds * 1000));
  }
  reporter.warning(
    `The execution did not reach Stopped within ${STOP_GRACE_MS / 60_000} minutes of the stop request.`,
  );
  return state;
}

async function buildReport(
  clients: PipelineClients,
  options: WaitOptions,
  context: {
    state: Observation | undefined;
    outcome: WaitOutcome;
    stopRequested: boolean;
    clock: Clock;
    reporter: Reporter;
  },
): Promise<ExecutionReport> {
  const { state, outcome } = context;
  const steps = state?.steps ?? [];
  const execution = state?.execution;
  const failedStep = steps.find((step) => step.status === 'Failed');
  const failureReason = failedStep?.failureReason ?? execution?.FailureReason;
  const definition = await readDefinition(clients, options.executionArn, context.reporter);
  const results = await collectExecutionResults(clients, steps, definition);
  for (const problem of results.problems) context.reporter.warning(problem);
  const end =
    state && TERMINAL_EXECUTION_STATUSES.has(state.status) ? execution?.LastModifiedTime : undefined;
  const duration = secondsBetween(execution?.CreationTime, end, context.clock.now());
  return {
    ...results,
    executionArn: options.executionArn,
    ...(execution?.PipelineArn ? { pipelineArn: execution.PipelineArn } : {}),
    ...(execution?.PipelineExecutionDisplayName
      ? { displayName: execution.PipelineExecutionDisplayName }
      : {}),
    status: state?.status ?? 'Unknown',
    outcome,
    stopRequested: context.stopRequested,
    steps,
    ...(failedStep ? { failedStep } : {}),
    ...(failureReason ? { failureReason } : {}),
    ...(duration !== undefined ? { durationSeconds: duration } : {}),
    ...(definition !== undefined ? { definition } : {}),
  };
}

async function readDefinition(
  clients: PipelineClients,
  executionArn: string,
  reporter: Reporter,
): Promise<unknown> {
  try {
    const described = await clients.sagemaker.send(
      new DescribePipelineDefinitionForExecutionCommand({ PipelineExecutionArn: executionArn }),
    );
    return described.PipelineDefinition ? (JSON.parse(described.PipelineDefinition) as unknown) : undefined;
  } catch (error) {
    reporter.warning(
      `Could not read the execution's definition (the summary has no DAG): ${describeError(error)}`,
    );
    return undefined;
  }
}
