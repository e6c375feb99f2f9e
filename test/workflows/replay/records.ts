/** What a replay reports: each job's result, outputs, summary and steps. */

export type Outcome = 'success' | 'failure' | 'skipped';

export interface StepRecord {
  readonly job: string;
  readonly id?: string;
  readonly name: string;
  readonly uses?: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly outcome: Outcome;
  readonly outputs: Readonly<Record<string, string>>;
  readonly log: string;
  readonly error?: string;
}

export interface JobRecord {
  readonly key: string;
  readonly environment?: string;
  readonly result: Outcome;
  readonly outputs: Readonly<Record<string, string>>;
  readonly steps: readonly StepRecord[];
  readonly summary: string;
  /** The job's workspace as the steps left it (absent for skipped jobs and reusable-workflow calls). */
  readonly workspace?: string;
  /** When the job started and finished, in the replay's event order (1, 2, ...). */
  readonly started: number;
  readonly finished: number;
}

/** What a job produces; the scheduler adds when it started and finished. */
export type JobRun = Omit<JobRecord, 'started' | 'finished'>;

export interface ReplayResult {
  readonly jobs: readonly JobRecord[];
}

/** Throws with the failing step's error and log tail when any job of the replay failed. */
export function assertReplaySucceeded(result: ReplayResult): void {
  const failed = result.jobs.flatMap((job) => job.steps).find((step) => step.outcome === 'failure');
  const failedJob = result.jobs.find((job) => job.result === 'failure');
  if (!failed && !failedJob) return;
  if (!failed) throw new Error(`job ${failedJob?.key} failed`);
  throw new Error(
    `job ${failed.job}, step '${failed.name}' failed: ${failed.error ?? ''}\n--- log tail ---\n${failed.log.slice(-4000)}`,
  );
}
