import type { Readable } from 'node:stream';

import type {
  CopyObjectOutput,
  CopyObjectRequest,
  DeleteObjectOutput,
  DeleteObjectRequest,
  DeleteObjectsOutput,
  DeleteObjectsRequest,
  GetObjectOutput,
  GetObjectRequest,
  HeadObjectOutput,
  HeadObjectRequest,
  PutObjectOutput,
  PutObjectRequest,
} from '@aws-sdk/client-s3';

import { AwsError } from '../../../core/errors';
import { operation } from '../../../core/operations';
import type { Validated } from '../../../core/validated';
import { optional } from '../../../core/optional';
import type { OperationHandler } from '../../../core/service';
import { checkConditions } from '../conditional-requests';
import { checkContentMd5 } from '../content-md5';
import type { ObjectStore } from '../object-store';
import { answeredHeaders, storedHeaders } from '../standard-headers';

/** Streamed bodies arrive as a Readable (never buffered); the model types Expires as a string. */
type PutObjectInput = Omit<PutObjectRequest, 'Body' | 'Expires'> & { Body?: Readable; Expires?: string };
type CopyObjectInput = Omit<CopyObjectRequest, 'Expires'> & { Expires?: string };
type ReadOutput = Omit<GetObjectOutput, 'Body' | 'Expires'> & { Body?: Readable; Expires?: string };

/** PutObject, GetObject, HeadObject, CopyObject, DeleteObject, DeleteObjects. */
export function objectOperations(objects: ObjectStore): Record<string, OperationHandler> {
  return {
    PutObject: operation<Validated<PutObjectInput>, PutObjectOutput>(async (input) => {
      objects.requireBucket(input.Bucket);
      const blob = await objects.writeBlob(input.Body ?? Buffer.alloc(0));
      checkContentMd5(objects, blob, input.ContentMD5);
      const info = objects.attach({
        bucket: input.Bucket,
        key: input.Key,
        blob,
        etag: `"${blob.md5}"`,
        ...optional('contentType', input.ContentType),
        ...optional('metadata', input.Metadata),
        headers: storedHeaders(input),
      });
      return { ETag: info.etag };
    }),

    GetObject: operation<Validated<GetObjectRequest>, ReadOutput>((input) =>
      readObject(objects, input, true),
    ),
    HeadObject: operation<Validated<HeadObjectRequest>, Omit<HeadObjectOutput, 'Expires'>>((input) =>
      readObject(objects, input, false),
    ),

    CopyObject: operation<Validated<CopyObjectInput>, CopyObjectOutput>(async (input) => {
      const source = copySource(input.CopySource);
      const sourceInfo = objects.headObject(source);
      objects.requireBucket(input.Bucket);
      const replace = input.MetadataDirective === 'REPLACE';
      const blob = await objects.writeBlob(objects.openObject(source));
      const info = objects.attach({
        bucket: input.Bucket,
        key: input.Key,
        blob,
        etag: `"${blob.md5}"`,
        ...optional('contentType', replace ? input.ContentType : sourceInfo.contentType),
        metadata: replace ? (input.Metadata ?? {}) : sourceInfo.metadata,
        headers: replace ? storedHeaders(input) : objects.standardHeaders(source),
      });
      return { CopyObjectResult: { ETag: info.etag, LastModified: info.lastModified } };
    }),

    DeleteObject: operation<Validated<DeleteObjectRequest>, DeleteObjectOutput>((input) => {
      objects.requireBucket(input.Bucket);
      objects.deleteObject({ bucket: input.Bucket, key: input.Key });
      return {};
    }),

    DeleteObjects: operation<Validated<DeleteObjectsRequest>, DeleteObjectsOutput>((input) => {
      objects.requireBucket(input.Bucket);
      const keys = input.Delete.Objects.map((object) => object.Key);
      if (keys.length > 1000) {
        throw new AwsError('MalformedXML', 'DeleteObjects takes at most 1000 keys per request');
      }
      for (const key of keys) objects.deleteObject({ bucket: input.Bucket, key });
      return { Deleted: input.Delete.Quiet ? [] : keys.map((Key) => ({ Key })) };
    }),
  };
}

/** `bucket/key` (optionally with a leading slash and `?versionId=`), percent-encoded as clients send it. */
function copySource(header: string): { bucket: string; key: string } {
  const decoded = decodeURIComponent(header.split('?')[0]!).replace(/^\//, '');
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw new AwsError(
      'InvalidArgument',
      `Invalid copy source object key: x-amz-copy-source must be "<bucket>/<key>", got "${header}"`,
    );
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

function readObject(objects: ObjectStore, input: Validated<GetObjectRequest>, withBody: boolean): ReadOutput {
  const ref = { bucket: input.Bucket, key: input.Key };
  const info = objects.headObject(ref);
  checkConditions(input, info);
  const range = parseRange(input.Range, info.size);
  const output: ReadOutput = {
    AcceptRanges: 'bytes',
    ContentLength: range ? range.end - range.start + 1 : info.size,
    ETag: info.etag,
    LastModified: info.lastModified,
    Metadata: { ...info.metadata },
    ...answeredHeaders(
      { ...objects.standardHeaders(ref), ...optional('ContentType', info.contentType) },
      withBody ? input : {},
    ),
    ...(range ? { ContentRange: `bytes ${range.start}-${range.end}/${info.size}` } : {}),
  };
  return withBody ? { ...output, Body: objects.openObject(ref, range) } : output;
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` → an inclusive range; other forms (multiple ranges) are ignored, as S3 does. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [first, last] = [match[1]!, match[2]!];
  const range =
    first === ''
      ? { start: Math.max(0, size - Number(last)), end: size - 1 }
      : { start: Number(first), end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
  if (range.start >= size || range.end < range.start) {
    throw new AwsError('InvalidRange', 'The requested range is not satisfiable', {
      status: 416,
      fields: { RangeRequested: header, ActualObjectSize: size },
    });
  }
  return range;
}
