const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
]);

/**
 * Errors worth riding out in a long wait (the SDK has already retried them): throttling, 5xx and
 * dropped connections. One of these must not fail a two-hour wait; the next poll tries again.
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const details = error as Error & {
    code?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  if (THROTTLING_CODES.has(error.name) || (details.code !== undefined && NETWORK_CODES.has(details.code)))
    return true;
  if (NETWORK_CODES.has(error.name)) return true;
  const status = details.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

/** `Code: message` for an AWS SDK error (its name is the AWS error code); the message for anything else. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const fromAws = '$metadata' in error || '$fault' in error;
  return fromAws && !error.message.startsWith(error.name) ? `${error.name}: ${error.message}` : error.message;
}
