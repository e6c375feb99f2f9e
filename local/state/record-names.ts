import { createHash } from 'node:crypto';

/** A record's file name: the SHA-256 of its id, so any id AWS accepts fits a file name. */
export const RECORD_NAME = /^[0-9a-f]{64}\.json$/;

export function recordName(id: string): string {
  return `${createHash('sha256').update(id, 'utf8').digest('hex')}.json`;
}
