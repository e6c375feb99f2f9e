import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The local AWS's state on disk: one JSON file per record, grouped in collections (folders), plus blobs.
 * Every write goes to a temporary file in the same folder and is renamed over the target, so a process
 * killed at any moment leaves either the old or the new version, never a torn file.
 */
export class StateStore {
  readonly root: string;
  private readonly made = new Set<string>();

  constructor(root: string) {
    this.root = path.resolve(root);
    fs.mkdirSync(this.root, { recursive: true });
  }

  /** Absolute path of a collection folder, created on demand. */
  dir(collection: string): string {
    const dir = path.join(this.root, collection);
    // Every read and write asks for its folder: remember the ones made rather than mkdir each time.
    if (!this.made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.made.add(dir);
    }
    return dir;
  }

  get<T>(collection: string, id: string): T | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file(collection, id), 'utf8')) as T;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  put<T>(collection: string, id: string, value: T): void {
    writeFileAtomic(this.file(collection, id), JSON.stringify(value, null, 1));
  }

  delete(collection: string, id: string): boolean {
    try {
      fs.unlinkSync(this.file(collection, id));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** Removes a collection folder with every record in it. */
  removeCollection(collection: string): void {
    const dir = path.join(this.root, collection);
    fs.rmSync(dir, { recursive: true, force: true });
    this.made.delete(dir);
  }

  /** Every record of a collection, in no particular order. */
  list<T>(collection: string): T[] {
    const dir = this.dir(collection);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    return names
      .filter((name) => name.endsWith('.json'))
      .map((name) => this.get<T>(collection, decodeId(name.slice(0, -'.json'.length))))
      .filter((value): value is T => value !== undefined);
  }

  private file(collection: string, id: string): string {
    return path.join(this.dir(collection), `${encodeId(id)}.json`);
  }
}

/** Writes through a temporary file and a rename, so readers never see a partial file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    if (typeof data === 'string') fs.writeSync(fd, data);
    else fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Ids may hold any character (ARNs, S3 keys); file names may not. */
function encodeId(id: string): string {
  return encodeURIComponent(id).replace(/\*/g, '%2A').replace(/^\./, '%2E');
}

function decodeId(name: string): string {
  return decodeURIComponent(name);
}
