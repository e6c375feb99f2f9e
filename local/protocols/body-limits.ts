/**
 * Largest request body accepted per operation, as AWS limits them; the server refuses a larger one while it
 * streams in (413), without buffering it first. Keyed by the model's serviceId.
 */
const MiB = 1024 * 1024;

/** Any operation not listed: generous for JSON/query APIs (SageMaker's largest input, a 1 MB definition). */
export const DEFAULT_BODY_LIMIT = 8 * MiB;

const LIMITS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  // A 50 MB zip inline, base64-encoded in the JSON body. (InvokeEndpoint's 6 MB is checked by the provider,
  // with SageMaker's own message, under the default limit.)
  Lambda: { CreateFunction: 70 * MiB, Invoke: 6 * MiB },
};

export function bodyLimit(serviceId: string, operation: string): number {
  return LIMITS[serviceId]?.[operation] ?? DEFAULT_BODY_LIMIT;
}
