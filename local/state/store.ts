import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { AwsError } from '../core/errors';
import { migrateLegacyRecords } from './legacy-records';
import { RECORD_NAME, recordName } from './record-names';

export interface StateStoreOptions {
  /** Receives a line when a record is moved aside; default stderr. */
  readonly log?: (line: string) => void;
}

/** What a record file holds: the id lives inside, the file name is only its hash. */
interface RecordFile<T> {
  readonly id: string;
  readonly value: T;
}

/** Where records that do not parse are moved, under the state dir. */
export const QUARANTINE_DIR = 'quarantine';

/**
 * The local AWS's state on disk: one JSON file per record, grouped in collections (folders), plus blobs.
 * A record's file is named by the SHA-256 of its id, so any id AWS accepts (1,024-byte keys, long ARNs)
 * fits a file name. Every write goes to a temporary file, is fsynced, renamed over the target and the
 * folder fsynced, so a process killed at any moment leaves either the old or the new version.
 * A record that does not parse is moved to `quarantine/` and only that resource answers an error.
 */
export class StateStore {
  readonly root: string;
  private readonly made = new Set<string>();
  private readonly log: (line: string) => void;

  constructor(root: string, options: StateStoreOptions = {}) {
    this.root = path.resolve(root);
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    fs.mkdirSync(this.root, { recursive: true });
  }

  /** Absolute path of a collection folder, created (and upgraded from older layouts) on first use. */
  dir(collection: string): string {
    const dir = path.join(this.root, collection);
    // Every read and write asks for its folder: remember the ones made rather than mkdir each time.
    if (!this.made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      migrateLegacyRecords(dir, {
        write: (id, value) => this.write(dir, id, value),
        quarantine: (file, reason) => this.quarantine(file, reason),
      });
      this.made.add(dir);
    }
    return dir;
  }

  get<T>(collection: string, id: string): T | undefined {
    const file = this.file(collection, id);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const parsed = parseRecord<T>(text, id);
    if (parsed.ok) return parsed.record.value;
    const moved = this.quarantine(file, parsed.reason);
    throw new AwsError(
      'InternalFailure',
      `the local AWS's record of ${collection} "${id}" is corrupt (${parsed.reason}); it was moved to ` +
        `${moved} and the resource is treated as absent from now on (create it again)`,
      { status: 500 },
    );
  }

  put<T>(collection: string, id: string, value: T): void {
    this.write(this.dir(collection), id, value);
  }

  delete(collection: string, id: string): boolean {
    const file = this.file(collection, id);
    try {
      fs.unlinkSync(file);
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    fsyncDir(path.dirname(file));
    return true;
  }

  /** Removes a collection folder with every record in it. */
  removeCollection(collection: string): void {
    const dir = path.join(this.root, collection);
    fs.rmSync(dir, { recursive: true, force: true });
    fsyncDir(path.dirname(dir));
    this.made.delete(dir);
  }

  /** Every readable record of a collection, in no particular order; corrupt ones are moved aside. */
  list<T>(collection: string): T[] {
    const dir = this.dir(collection);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    const values: T[] = [];
    for (const name of names.filter((entry) => RECORD_NAME.test(entry))) {
      const file = path.join(dir, name);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        if (isNotFound(error)) continue; // deleted by a concurrent operation since readdir
        throw error;
      }
      const parsed = parseRecord<T>(text);
      if (parsed.ok && recordName(parsed.record.id) === name) values.push(parsed.record.value);
      else this.quarantine(file, parsed.ok ? 'its id does not match its file name' : parsed.reason);
    }
    return values;
  }

  private write<T>(dir: string, id: string, value: T): void {
    const record: RecordFile<T> = { id, value };
    writeFileAtomic(path.join(dir, recordName(id)), JSON.stringify(record, null, 1));
  }

  /** Moves a bad record file under `quarantine/` (same relative path), logs it and returns where it went. */
  private quarantine(file: string, reason: string): string {
    const relative = path.relative(this.root, file);
    const target = path.join(this.root, QUARANTINE_DIR, `${relative}.${Date.now()}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(file, target);
    fsyncDir(path.dirname(file));
    this.log(`local AWS state: ${file} is corrupt (${reason}); moved it to ${target}`);
    return target;
  }

  private file(collection: string, id: string): string {
    return path.join(this.dir(collection), recordName(id));
  }
}

/** Writes through a fsynced temporary file, a rename and a fsync of the folder: durable once it returns. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file).slice(0, 64)}.${randomUUID()}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    if (typeof data === 'string') fs.writeSync(fd, data);
    else fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(dir);
}

/** Makes a rename or unlink in a folder durable (the entry itself lives in the folder). */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

type Parsed<T> = { ok: true; record: RecordFile<T> } | { ok: false; reason: string };

function parseRecord<T>(text: string, expectedId?: string): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  if (typeof value !== 'object' || value === null || typeof (value as { id?: unknown }).id !== 'string')
    return { ok: false, reason: 'not a record: expected {"id": string, "value": ...}' };
  const record = value as RecordFile<T>;
  if (expectedId !== undefined && record.id !== expectedId)
    return { ok: false, reason: `it holds id "${record.id}"` };
  return { ok: true, record };
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
