import type { TimestampFormat } from './shapes';

/** A timestamp on the wire in one of the model's formats (`unixTimestamp` is seconds, fractions allowed). */
export function formatTimestamp(date: Date, format: TimestampFormat): string | number {
  switch (format) {
    case 'unixTimestamp':
      return date.getTime() / 1000;
    case 'rfc822':
      return date.toUTCString();
    case 'iso8601':
      return date.toISOString();
  }
}

/** A wire timestamp as a Date: epoch seconds (number or numeric text), ISO 8601 or RFC 822; else undefined. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value * 1000) : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const date = /^-?\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
