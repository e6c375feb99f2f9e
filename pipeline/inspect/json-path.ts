/** JSONPath-style locations (`$.Steps[3].Arguments.Conditions[0].LeftValue`) for messages. */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const ROOT = '$';

export function member(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function item(path: string, index: number): string {
  return `${path}[${index}]`;
}
