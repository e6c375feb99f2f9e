import type { Clock } from '../aws/clock';
import { describeError, isTransientError } from '../aws/transient-errors';
import type { Reporter } from '../report/reporter';
import { formatDuration } from '../report/format';

export interface PollUntilOptions<T> {
  /** What is being waited for, for the timeout message. */
  readonly what: string;
  readonly read: () => Promise<T>;
  readonly done: (value: T) => boolean;
  /** Called with every value read (e.g. to stream events). */
  readonly onRead?: (value: T) => Promise<void> | void;
  readonly clock: Clock;
  /** Epoch milliseconds after which the wait fails. */
  readonly deadline: number;
  readonly pollMs: number;
  readonly reporter: Reporter;
  /** When the overall wait started, for the timeout message. */
  readonly startedAt?: number;
}

/** Thrown when a deploy wait passes its deadline. */
export class DeployTimeoutError extends Error {
  override readonly name = 'DeployTimeoutError';
}

/**
 * Reads until `done`, riding out throttling, 5xx and dropped connections (already retried by the SDK:
 * the next poll tries again), and fails with a clear message when the deadline passes.
 */
export async function pollUntil<T>(options: PollUntilOptions<T>): Promise<T> {
  const { clock } = options;
  for (;;) {
    let value: T | undefined;
    try {
      value = await options.read();
    } catch (error) {
      if (!isTransientError(error)) throw error;
      options.reporter.warning(
        `Reading ${options.what} failed for now (${describeError(error)}); trying again.`,
      );
    }
    if (value !== undefined) {
      await options.onRead?.(value);
      if (options.done(value)) return value;
    }
    const remaining = options.deadline - clock.now();
    if (remaining <= 0) {
      const waited =
        options.startedAt !== undefined
          ? ` after ${formatDuration((clock.now() - options.startedAt) / 1000)}`
          : '';
      throw new DeployTimeoutError(`timed out waiting for ${options.what}${waited}`);
    }
    await clock.sleep(Math.min(options.pollMs, remaining));
  }
}
