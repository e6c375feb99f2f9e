import * as fs from 'node:fs';

import { parse } from 'yaml';

/** A bad action input: the message names the input, what it got and what is expected. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`Input "${input}": ${message}`);
  }
}

/** Reads a raw input: the trimmed value, or '' when not set (what @actions/core's getInput returns). */
export type ReadInput = (name: string) => string;

export interface NumberRule {
  /** Values must be greater than this. */
  readonly above?: number;
  /** Values must be at least this. */
  readonly atLeast?: number;
  readonly integer?: boolean;
  /** What is expected, for the message (e.g. "minutes greater than 0, fractions allowed"). */
  readonly expected: string;
}

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

/**
 * Typed, checked access to action inputs. Every parser throws an InputError before anything calls AWS,
 * so a typo costs seconds, not a half-done deployment.
 */
export class Inputs {
  constructor(private readonly read: ReadInput) {}

  optional(name: string): string | undefined {
    const value = this.read(name);
    return value === '' ? undefined : value;
  }

  required(name: string, expected: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new InputError(name, `is required; expected ${expected}`);
    return value;
  }

  /** A value matching a pattern (e.g. a name or ARN); `expected` describes it for the message. */
  matching(name: string, pattern: RegExp, expected: string, options: { required: true }): string;
  matching(
    name: string,
    pattern: RegExp,
    expected: string,
    options?: { required?: false },
  ): string | undefined;
  matching(
    name: string,
    pattern: RegExp,
    expected: string,
    options: { required?: boolean } = {},
  ): string | undefined {
    const value = options.required ? this.required(name, expected) : this.optional(name);
    if (value !== undefined && !pattern.test(value))
      throw new InputError(name, `expected ${expected}; got "${value}"`);
    return value;
  }

  /** YAML 1.2 booleans only (true/True/TRUE, false/False/FALSE), like core.getBooleanInput. */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.optional(name);
    if (value === undefined) return fallback;
    if (TRUE.has(value)) return true;
    if (FALSE.has(value)) return false;
    throw new InputError(name, `expected true or false; got "${value}"`);
  }

  number(name: string, rule: NumberRule, fallback: number): number;
  number(name: string, rule: NumberRule): number | undefined;
  number(name: string, rule: NumberRule, fallback?: number): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return fallback;
    const number = Number(value);
    const fits =
      /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value) &&
      Number.isFinite(number) &&
      (rule.above === undefined || number > rule.above) &&
      (rule.atLeast === undefined || number >= rule.atLeast) &&
      (!rule.integer || Number.isInteger(number));
    if (!fits) throw new InputError(name, `expected ${rule.expected}; got "${value}"`);
    return number;
  }

  /** A YAML or JSON map (`{"a": 1}` or `a: 1` lines); undefined when the input is not set. */
  map(name: string): Record<string, unknown> | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    let document: unknown;
    try {
      document = parse(value);
    } catch (error) {
      throw new InputError(
        name,
        `expected a YAML or JSON map (e.g. {"Key": "value"} or Key: value lines); it does not parse: ${firstLine(error)}`,
      );
    }
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      throw new InputError(
        name,
        `expected a YAML or JSON map (e.g. {"Key": "value"} or Key: value lines); got "${value.slice(0, 100)}"`,
      );
    }
    return document as Record<string, unknown>;
  }

  /** A map whose values are strings, numbers or booleans (tags, parameters), as strings. */
  stringMap(name: string): Record<string, string> {
    const map = this.map(name) ?? {};
    return Object.fromEntries(
      Object.entries(map).map(([key, value]) => {
        if (!['string', 'number', 'boolean'].includes(typeof value)) {
          throw new InputError(
            name,
            `the value of "${key}" must be a string, number or boolean; got ${JSON.stringify(value)}`,
          );
        }
        return [key, String(value)];
      }),
    );
  }

  /** A list separated by commas, spaces or new lines. */
  list(name: string, fallback: readonly string[] = []): string[] {
    const value = this.optional(name);
    if (value === undefined) return [...fallback];
    return value.split(/[\s,]+/).filter(Boolean);
  }

  /** A path to an existing file. */
  file(name: string, options: { required: true }): string;
  file(name: string, options?: { required?: false }): string | undefined;
  file(name: string, options: { required?: boolean } = {}): string | undefined {
    const value = options.required ? this.required(name, 'a path to a file') : this.optional(name);
    if (value === undefined) return undefined;
    checkFile(name, value);
    return value;
  }
}

export function checkFile(name: string, file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new InputError(
      name,
      `file "${file}" does not exist (relative paths start at the workspace, ${process.cwd()})`,
    );
  }
  if (!stat.isFile()) throw new InputError(name, `"${file}" is not a file`);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
