import type { RetryPolicy } from './definition';

/** Retryable failure classes of SageMaker pipeline retry policies. */
export const RETRYABLE_EXCEPTION_TYPES = [
  'Step.SERVICE_FAULT',
  'Step.THROTTLING',
  'SageMaker.JOB_INTERNAL_ERROR',
  'SageMaker.CAPACITY_ERROR',
  'SageMaker.RESOURCE_LIMIT',
] as const;

const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_BACKOFF_RATE = 2;
const DEFAULT_MAX_ATTEMPTS = 5;

export interface RetryQuestion {
  readonly policies: readonly RetryPolicy[];
  /** The failure's exception type, e.g. SageMaker.JOB_INTERNAL_ERROR; undefined for non-retryable failures. */
  readonly exceptionType: string | undefined;
  /** Attempts made so far (1 after the first failure). */
  readonly attempts: number;
  /** Milliseconds since the first attempt started. */
  readonly elapsedMs: number;
}

/**
 * How long to wait before the next attempt, or undefined when no policy allows one. The first policy that
 * names the exception type decides; MaxAttempts counts retries (after the first attempt), as the service does.
 */
export function retryDelayMs(question: RetryQuestion): number | undefined {
  const { exceptionType, attempts } = question;
  if (!exceptionType) return undefined;
  const policy = question.policies.find((candidate) =>
    candidate.ExceptionType.some((type) => type === exceptionType),
  );
  if (!policy) return undefined;
  const retriesDone = attempts - 1;
  if (policy.ExpireAfterMin !== undefined) {
    if (question.elapsedMs >= policy.ExpireAfterMin * 60_000) return undefined;
  } else if (retriesDone >= (policy.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
    return undefined;
  }
  const interval = policy.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  const rate = policy.BackoffRate ?? DEFAULT_BACKOFF_RATE;
  return interval * 1000 * rate ** retriesDone;
}
