/** Poll bounds in seconds: quick while steps start and finish, slower through long quiet stretches. */
export interface PollBounds {
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

const GROWTH = 1.5;
const JITTER = 0.2;

/**
 * The next wait between polls: back to the minimum whenever something happened (a step changed status),
 * growing by half each quiet poll up to the maximum, with ±20% jitter so many waiting jobs do not poll
 * in lockstep (and stay clear of the service's rate limits).
 */
export class PollInterval {
  private current: number;

  constructor(
    private readonly bounds: PollBounds,
    private readonly random: () => number = Math.random,
  ) {
    this.current = bounds.minSeconds;
  }

  /** Milliseconds to wait before the next poll. */
  next(activity: boolean): number {
    this.current = activity
      ? this.bounds.minSeconds
      : Math.min(this.bounds.maxSeconds, this.current * GROWTH);
    const jittered = this.current * (1 - JITTER + 2 * JITTER * this.random());
    const clamped = Math.min(this.bounds.maxSeconds, Math.max(this.bounds.minSeconds, jittered));
    return Math.round(clamped * 1000);
  }
}
