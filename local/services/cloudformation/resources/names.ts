import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** CloudFormation's random suffix for generated physical names (12 upper-case letters and digits). */
export function randomSuffix(length = 12): string {
  return [...randomBytes(length)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

export interface GeneratedNameOptions {
  readonly parts: readonly string[];
  readonly maxLength: number;
  readonly lowercase?: boolean;
}

/**
 * A generated physical name like CloudFormation's: the parts (e.g. stack name and logical id) shortened so
 * that `<parts>-<suffix>` fits maxLength.
 */
export function generatedName(options: GeneratedNameOptions): string {
  const suffix = randomSuffix();
  const room = options.maxLength - suffix.length - 1;
  const joined = options.parts.join('-').slice(0, Math.max(room, 1)).replace(/-+$/, '');
  const name = `${joined}-${suffix}`;
  return options.lowercase ? name.toLowerCase() : name;
}
