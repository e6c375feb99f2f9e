import { InvalidArgumentError } from 'commander';

/** Option parsers shared by the commands: each rejects a bad value naming what is expected. */

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`expected a port number from 0 to 65535, got "${value}"`);
  }
  return port;
}

export function parsePositiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return number;
}

/** `Name=Value` (the value may itself contain `=`). */
export function parseKeyValue(value: string, flag: string): [string, string] {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`${flag} expects Name=Value, got "${value}"`);
  return [value.slice(0, at), value.slice(at + 1)];
}
