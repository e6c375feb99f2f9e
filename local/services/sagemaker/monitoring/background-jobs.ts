import type { JobOutcome, JobRequest } from '../../../engine/deps';
import type { JobService } from '../jobs';

/**
 * Jobs that run outside a pipeline (CreateProcessingJob, monitoring executions): each runs in the
 * background with its own abort signal, so the local AWS's shutdown stops them and waits for them.
 */
export class BackgroundJobs {
  private readonly running = new Map<Promise<unknown>, AbortController>();

  constructor(private readonly jobs: JobService) {}

  /** Starts the job; its record exists (DescribeProcessingJob answers) when this returns. */
  start(job: Omit<JobRequest, 'signal'>): Promise<JobOutcome> {
    const controller = new AbortController();
    const outcome = this.jobs.run({ ...job, signal: controller.signal });
    const settled = outcome.catch(() => undefined).finally(() => this.running.delete(settled));
    this.running.set(settled, controller);
    return outcome;
  }

  /** Stops every running job and waits until each has ended (Stopped). */
  async stopAll(): Promise<void> {
    for (const controller of this.running.values()) controller.abort();
    await Promise.allSettled([...this.running.keys()]);
  }
}
