import { parseDuration } from '../../../local/engine/durations';
import type { RetryPolicy } from '../../../local/engine/definition';
import { retryDelayMs } from '../../../local/engine/retry';

describe('ExpireAfter durations', () => {
  it.each([
    ['P30D', 30 * 86_400_000],
    ['PT1H', 3_600_000],
    ['P1DT12H', 36 * 3_600_000],
    ['PT90S', 90_000],
    ['10d', 10 * 86_400_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('rejects what is not a duration', () => {
    expect(() => parseDuration('soon')).toThrow("ExpireAfter 'soon' is not an ISO 8601 duration");
    expect(() => parseDuration('P')).toThrow();
    expect(() => parseDuration('PT')).toThrow();
  });
});

describe('retry policies', () => {
  const policies: RetryPolicy[] = [
    { ExceptionType: ['SageMaker.JOB_INTERNAL_ERROR'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 },
  ];

  it('backs off per the matching policy and stops after MaxAttempts retries', () => {
    const ask = (attempts: number) =>
      retryDelayMs({ policies, exceptionType: 'SageMaker.JOB_INTERNAL_ERROR', attempts, elapsedMs: 0 });
    expect([ask(1), ask(2), ask(3)]).toEqual([2000, 6000, undefined]);
  });

  it('does not retry other failures', () => {
    expect(
      retryDelayMs({ policies, exceptionType: 'Step.THROTTLING', attempts: 1, elapsedMs: 0 }),
    ).toBeUndefined();
    expect(retryDelayMs({ policies, exceptionType: undefined, attempts: 1, elapsedMs: 0 })).toBeUndefined();
  });

  it('honours ExpireAfterMin instead of MaxAttempts', () => {
    const expiring: RetryPolicy[] = [{ ExceptionType: ['Step.THROTTLING'], ExpireAfterMin: 1 }];
    expect(
      retryDelayMs({ policies: expiring, exceptionType: 'Step.THROTTLING', attempts: 9, elapsedMs: 59_000 }),
    ).toBe(1000 * 2 ** 8);
    expect(
      retryDelayMs({ policies: expiring, exceptionType: 'Step.THROTTLING', attempts: 2, elapsedMs: 60_000 }),
    ).toBeUndefined();
  });
});
