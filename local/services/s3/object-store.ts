import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type {
  ListObjectsRequest,
  ListObjectsResult,
  ObjectInfo,
  ObjectRef,
  ObjectStoreApi,
  PutObjectRequest,
} from '../../core/deps';
import { AwsError } from '../../core/errors';
import { fsyncDir, type StateStore } from '../../state/store';

/** The representation headers S3 stores with an object and answers on GET/HEAD (Expires as sent). */
export interface StandardHeaders {
  readonly CacheControl?: string;
  readonly ContentDisposition?: string;
  readonly ContentEncoding?: string;
  readonly ContentLanguage?: string;
  readonly Expires?: string;
}

interface ObjectRecord {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string;
  readonly contentType?: string;
  readonly metadata: Record<string, string>;
  readonly headers?: StandardHeaders;
  /** File name of the body under the blob folder. */
  readonly blob: string;
}

export interface BucketRecord {
  readonly name: string;
  readonly creationDate: string;
}

/** A body written to the blob folder, not yet attached to a key. */
export interface Blob {
  readonly blob: string;
  readonly size: number;
  /** Hex MD5 of the body. */
  readonly md5: string;
}

interface BucketIndex {
  readonly objects: Map<string, ObjectRecord>;
  /** Keys in S3 order (UTF-8 binary order), rebuilt after a write. */
  sorted?: string[] | undefined;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DEFAULT_MAX_KEYS = 1000;

/**
 * The local S3's objects. Bodies are files under `<state>/s3/blobs` (written to a temporary file, fsynced
 * and renamed, so a crash never leaves a torn body); each key's metadata is a StateStore record pointing at
 * its blob. An in-memory index per bucket, loaded on first use, serves listings.
 */
export class ObjectStore implements ObjectStoreApi {
  private readonly blobDir: string;
  private readonly tmpDir: string;
  private readonly indexes = new Map<string, BucketIndex>();

  constructor(private readonly store: StateStore) {
    this.blobDir = store.dir('s3/blobs');
    this.tmpDir = store.dir('s3/tmp');
    // Temporary files left by a crash belong to no object.
    for (const name of fs.readdirSync(this.tmpDir)) fs.rmSync(path.join(this.tmpDir, name), { force: true });
  }

  listBuckets(): BucketRecord[] {
    // By name in byte order, as S3 lists them (and as ListBuckets' continuation tokens page them).
    return this.store.list<BucketRecord>('s3/buckets').sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  createBucket(bucket: string): void {
    if (this.bucketExists(bucket)) return;
    if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
      throw new AwsError(
        'InvalidBucketName',
        `bucket name "${bucket}" is invalid; expected 3-63 lowercase letters, digits, dots and hyphens`,
        { fields: { BucketName: bucket } },
      );
    }
    this.store.put<BucketRecord>('s3/buckets', bucket, {
      name: bucket,
      creationDate: new Date().toISOString(),
    });
  }

  bucketExists(bucket: string): boolean {
    return this.store.get<BucketRecord>('s3/buckets', bucket) !== undefined;
  }

  deleteBucket(bucket: string): void {
    const index = this.index(bucket);
    if (index.objects.size > 0) {
      throw new AwsError('BucketNotEmpty', `bucket ${bucket} is not empty; delete its objects first`, {
        status: 409,
        fields: { BucketName: bucket },
      });
    }
    this.store.delete('s3/buckets', bucket);
    this.indexes.delete(bucket);
  }

  /** Throws NoSuchBucket unless the bucket exists. */
  requireBucket(bucket: string): void {
    this.index(bucket);
  }

  async putObject(request: PutObjectRequest): Promise<ObjectInfo> {
    this.requireBucket(request.bucket);
    const source =
      request.file !== undefined ? fs.createReadStream(request.file) : (request.body ?? Buffer.alloc(0));
    const blob = await this.writeBlob(source);
    return this.attach({
      ...request,
      blob,
      etag: `"${blob.md5}"`,
    });
  }

  /** Streams a body into a new blob, hashing it on the way. */
  async writeBlob(source: Readable | Buffer | string): Promise<Blob> {
    const blob = randomUUID();
    const tmp = path.join(this.tmpDir, blob);
    const hash = createHash('md5');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const input = source instanceof Readable ? source : Readable.from([Buffer.from(source)]);
    try {
      await pipeline(input, meter, fs.createWriteStream(tmp, { flush: true }));
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    fs.renameSync(tmp, path.join(this.blobDir, blob));
    fsyncDir(this.blobDir);
    return { blob, size, md5: hash.digest('hex') };
  }

  /** Points a key at a written blob (replacing and deleting any previous body). */
  attach(
    request: ObjectRef & {
      blob: Blob;
      etag: string;
      contentType?: string;
      metadata?: Readonly<Record<string, string>>;
      headers?: StandardHeaders;
    },
  ): ObjectInfo {
    const index = this.index(request.bucket);
    const record: ObjectRecord = {
      key: request.key,
      size: request.blob.size,
      etag: request.etag,
      lastModified: new Date().toISOString(),
      ...(request.contentType !== undefined ? { contentType: request.contentType } : {}),
      metadata: { ...request.metadata },
      ...(request.headers !== undefined ? { headers: request.headers } : {}),
      blob: request.blob.blob,
    };
    const previous = index.objects.get(request.key);
    this.store.put(this.collection(request.bucket), request.key, record);
    if (!previous) index.sorted = undefined;
    index.objects.set(request.key, record);
    if (previous) this.discardBlob(previous.blob);
    return this.info(request.bucket, record);
  }

  async getObject(ref: ObjectRef): Promise<Buffer> {
    return fs.promises.readFile(this.localPath(ref));
  }

  headObject(ref: ObjectRef): ObjectInfo {
    return this.info(ref.bucket, this.record(ref));
  }

  /** The stored representation headers of an object (Cache-Control, Content-Disposition, ...). */
  standardHeaders(ref: ObjectRef): StandardHeaders {
    return this.record(ref).headers ?? {};
  }

  /** A stream of the body, optionally of the inclusive byte range [start, end]. */
  openObject(ref: ObjectRef, range?: { start: number; end: number }): Readable {
    const file = this.localPath(ref);
    // An empty range over an empty object: fs streams reject end < start.
    if (range && range.end < range.start) return Readable.from([]);
    return fs.createReadStream(file, range ?? {});
  }

  listObjects(request: ListObjectsRequest): ListObjectsResult {
    const index = this.index(request.bucket);
    const prefix = request.prefix ?? '';
    const maxKeys = request.maxKeys ?? DEFAULT_MAX_KEYS;
    const keys = this.sortedKeys(index);
    const objects: ObjectInfo[] = [];
    const commonPrefixes: string[] = [];
    let lastKey: string | undefined;
    let start = request.startAfter === undefined ? 0 : upperBound(keys, request.startAfter);
    start = Math.max(start, lowerBound(keys, prefix));
    for (let i = start; i < keys.length; i++) {
      const key = keys[i]!;
      if (!key.startsWith(prefix)) break;
      const cut = request.delimiter ? key.indexOf(request.delimiter, prefix.length) : -1;
      const commonPrefix = cut >= 0 ? key.slice(0, cut + request.delimiter!.length) : undefined;
      if (commonPrefix !== undefined && commonPrefix === commonPrefixes[commonPrefixes.length - 1]) continue;
      if (objects.length + commonPrefixes.length >= maxKeys) {
        return { objects, commonPrefixes, isTruncated: true, ...(lastKey !== undefined ? { lastKey } : {}) };
      }
      if (commonPrefix !== undefined) {
        commonPrefixes.push(commonPrefix);
        // Skip the rest of this prefix (its keys sort together); continuing after its last key skips it too.
        i = lowerBound(keys, nextPrefix(commonPrefix)) - 1;
        lastKey = keys[i]!;
      } else {
        objects.push(this.info(request.bucket, index.objects.get(key)!));
        lastKey = key;
      }
    }
    return { objects, commonPrefixes, isTruncated: false, ...(lastKey !== undefined ? { lastKey } : {}) };
  }

  listAll(bucket: string, prefix = ''): ObjectInfo[] {
    const index = this.index(bucket);
    const keys = this.sortedKeys(index);
    const result: ObjectInfo[] = [];
    for (let i = lowerBound(keys, prefix); i < keys.length && keys[i]!.startsWith(prefix); i++) {
      result.push(this.info(bucket, index.objects.get(keys[i]!)!));
    }
    return result;
  }

  deleteObject(ref: ObjectRef): void {
    const index = this.index(ref.bucket);
    const record = index.objects.get(ref.key);
    if (!record) return;
    this.store.delete(this.collection(ref.bucket), ref.key);
    index.objects.delete(ref.key);
    index.sorted = undefined;
    this.discardBlob(record.blob);
  }

  localPath(ref: ObjectRef): string {
    return path.join(this.blobDir, this.record(ref).blob);
  }

  async downloadTo(ref: ObjectRef & { readonly file: string }): Promise<void> {
    const source = this.localPath(ref);
    await fs.promises.mkdir(path.dirname(ref.file), { recursive: true });
    await fs.promises.copyFile(source, ref.file);
  }

  private record(ref: ObjectRef): ObjectRecord {
    const record = this.index(ref.bucket).objects.get(ref.key);
    if (!record) {
      throw new AwsError('NoSuchKey', `The specified key does not exist: s3://${ref.bucket}/${ref.key}`, {
        status: 404,
        fields: { Key: ref.key },
      });
    }
    return record;
  }

  private index(bucket: string): BucketIndex {
    const cached = this.indexes.get(bucket);
    if (cached) return cached;
    if (!this.bucketExists(bucket)) {
      throw new AwsError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`, {
        status: 404,
        fields: { BucketName: bucket },
      });
    }
    const records = this.store.list<ObjectRecord>(this.collection(bucket));
    const index: BucketIndex = { objects: new Map(records.map((record) => [record.key, record])) };
    this.indexes.set(bucket, index);
    return index;
  }

  private sortedKeys(index: BucketIndex): string[] {
    index.sorted ??= [...index.objects.keys()].sort(compareKeys);
    return index.sorted;
  }

  private collection(bucket: string): string {
    return `s3/objects/${bucket}`;
  }

  private info(bucket: string, record: ObjectRecord): ObjectInfo {
    return {
      bucket,
      key: record.key,
      size: record.size,
      etag: record.etag,
      lastModified: new Date(record.lastModified),
      ...(record.contentType !== undefined ? { contentType: record.contentType } : {}),
      metadata: record.metadata,
    };
  }

  blobPath(blob: string): string {
    return path.join(this.blobDir, blob);
  }

  discardBlob(blob: string): void {
    fs.rmSync(this.blobPath(blob), { force: true });
  }
}

/** S3 lists keys in UTF-8 byte order. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** First index whose key sorts at or after `target`. */
function lowerBound(keys: readonly string[], target: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKeys(keys[mid]!, target) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First index whose key sorts strictly after `target`. */
function upperBound(keys: readonly string[], target: string): number {
  const index = lowerBound(keys, target);
  return keys[index] === target ? index + 1 : index;
}

/** The smallest string greater than every string starting with `prefix`. */
function nextPrefix(prefix: string): string {
  return prefix + '\u{10FFFF}';
}
