/**
 * Runs stack and change set operations in the background, as CloudFormation does: the API call returns
 * at once and the status moves on its own. stop() aborts waits (e.g. for an endpoint) and lets every
 * operation record where it ended.
 */
export class OperationRunner {
  private readonly running = new Set<Promise<void>>();
  private readonly controller = new AbortController();

  constructor(private readonly onUnexpected: (error: unknown) => void) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts the task after the current request has been answered. */
  run(task: () => Promise<void>): void {
    const work: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch(this.onUnexpected)
      .finally(() => this.running.delete(work));
    this.running.add(work);
  }

  /** Resolves once no operation is running (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async stop(): Promise<void> {
    this.controller.abort(new Error('the local AWS is stopping'));
    await this.idle();
  }
}
