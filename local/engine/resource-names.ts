import { randomBytes } from 'node:crypto';

const NAME_MAX = 63;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lowercase alphanumerics, like the ids the service makes up (execution ids, name suffixes). */
export function randomId(length: number): string {
  return [...randomBytes(length)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

/**
 * The name the service gives a job or model a pipeline step creates: `pipelines-<execution id>-<step>-<random>`,
 * lowercased, with characters SageMaker names forbid replaced and the step part cut to fit 63 characters.
 */
export function stepResourceName(executionId: string, stepName: string): string {
  const prefix = `pipelines-${executionId}-`;
  const suffix = `-${randomId(10)}`;
  const room = NAME_MAX - prefix.length - suffix.length;
  const step = stepName.replace(/[^A-Za-z0-9-]/g, '-').slice(0, Math.max(room, 1));
  return `${prefix}${step}${suffix}`.toLowerCase();
}
