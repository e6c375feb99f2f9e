import type { Readable } from 'node:stream';

import type { ObjectInfo } from '../../core/deps';
import { AwsError } from '../../core/errors';
import { optional } from '../../core/optional';
import type { OperationHandler, RequestContext } from '../../core/service';
import type { ObjectOutput } from '../../protocols/rest-xml-s3';
import type { MultipartUploads } from './multipart';
import type { ObjectStore } from './object-store';

/** S3 operations on SDK-shaped inputs (Bucket, Key, Body, Range, ...) as the restXml layer decodes them. */
export function s3Operations(
  objects: ObjectStore,
  uploads: MultipartUploads,
): Record<string, OperationHandler> {
  return {
    ListBuckets: () => ({
      Buckets: objects
        .listBuckets()
        .map((bucket) => ({ Name: bucket.name, CreationDate: new Date(bucket.creationDate) })),
      Owner: { ID: 'local', DisplayName: 'local' },
    }),

    CreateBucket: (input, ctx) => {
      const bucket = str(input, 'Bucket');
      // Outside us-east-1 S3 refuses to re-create a bucket you own; us-east-1 answers 200.
      if (objects.bucketExists(bucket) && ctx.region !== 'us-east-1') {
        throw new AwsError('BucketAlreadyOwnedByYou', `bucket ${bucket} already exists and is yours`, {
          status: 409,
          fields: { BucketName: bucket },
        });
      }
      objects.createBucket(bucket);
      return { Location: `/${bucket}` };
    },

    HeadBucket: (input) => {
      objects.requireBucket(str(input, 'Bucket'));
      return {};
    },

    DeleteBucket: (input) => {
      objects.deleteBucket(str(input, 'Bucket'));
      return {};
    },

    GetBucketLocation: (input, ctx) => {
      objects.requireBucket(str(input, 'Bucket'));
      return { LocationConstraint: ctx.region === 'us-east-1' ? '' : ctx.region };
    },

    PutObject: async (input) => {
      const info = await objects.putObject({
        bucket: str(input, 'Bucket'),
        key: str(input, 'Key'),
        body: input.Body as Readable,
        ...optional('contentType', input.ContentType as string | undefined),
        ...optional('metadata', input.Metadata as Record<string, string> | undefined),
      });
      return { ETag: info.etag };
    },

    GetObject: (input) => readObject(objects, input, true),
    HeadObject: (input) => readObject(objects, input, false),

    CopyObject: async (input) => {
      const [sourceBucket, ...rest] = str(input, 'CopySource').split('/');
      const source = { bucket: sourceBucket ?? '', key: rest.join('/') };
      const sourceInfo = objects.headObject(source);
      const replace = input.MetadataDirective === 'REPLACE';
      const blob = await objects.writeBlob(objects.openObject(source));
      const contentType = replace ? (input.ContentType as string | undefined) : sourceInfo.contentType;
      const info = objects.attach({
        bucket: str(input, 'Bucket'),
        key: str(input, 'Key'),
        blob,
        etag: `"${blob.md5}"`,
        ...optional('contentType', contentType),
        metadata: replace
          ? ((input.Metadata as Record<string, string> | undefined) ?? {})
          : sourceInfo.metadata,
      });
      return { CopyObjectResult: { ETag: info.etag, LastModified: info.lastModified } };
    },

    DeleteObject: (input) => {
      objects.requireBucket(str(input, 'Bucket'));
      objects.deleteObject({ bucket: str(input, 'Bucket'), key: str(input, 'Key') });
      return {};
    },

    DeleteObjects: (input) => {
      const bucket = str(input, 'Bucket');
      objects.requireBucket(bucket);
      const request = input.Delete as { Objects: { Key: string }[]; Quiet: boolean };
      for (const { Key } of request.Objects) objects.deleteObject({ bucket, key: Key });
      return { Deleted: request.Quiet ? [] : request.Objects.map(({ Key }) => ({ Key })) };
    },

    ListObjectsV2: (input) => {
      const bucket = str(input, 'Bucket');
      const token = input.ContinuationToken as string | undefined;
      const startAfter = token !== undefined ? decodeToken(token) : (input.StartAfter as string | undefined);
      const maxKeys = maxKeysOf(input);
      const page = objects.listObjects({
        bucket,
        ...listOptions(input),
        maxKeys,
        ...optional('startAfter', startAfter),
      });
      const encode = keyEncoder(input);
      return {
        Name: bucket,
        Prefix: encode(input.Prefix as string | undefined) ?? '',
        Delimiter: encode(input.Delimiter as string | undefined),
        StartAfter: encode(input.StartAfter as string | undefined),
        EncodingType: input.EncodingType,
        MaxKeys: maxKeys,
        KeyCount: page.objects.length + page.commonPrefixes.length,
        IsTruncated: page.isTruncated,
        ContinuationToken: token,
        NextContinuationToken:
          page.isTruncated && page.lastKey !== undefined ? encodeToken(page.lastKey) : undefined,
        Contents: page.objects.map((object) => contents(object, encode)),
        CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
      };
    },

    ListObjects: (input) => {
      const bucket = str(input, 'Bucket');
      const marker = input.Marker as string | undefined;
      const maxKeys = maxKeysOf(input);
      const page = objects.listObjects({
        bucket,
        ...listOptions(input),
        maxKeys,
        ...optional('startAfter', marker),
      });
      const encode = keyEncoder(input);
      return {
        Name: bucket,
        Prefix: encode(input.Prefix as string | undefined) ?? '',
        Marker: encode(marker) ?? '',
        Delimiter: encode(input.Delimiter as string | undefined),
        EncodingType: input.EncodingType,
        MaxKeys: maxKeys,
        IsTruncated: page.isTruncated,
        NextMarker: page.isTruncated ? encode(page.lastKey) : undefined,
        Contents: page.objects.map((object) => contents(object, encode)),
        CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
      };
    },

    CreateMultipartUpload: (input) => {
      const bucket = str(input, 'Bucket');
      const key = str(input, 'Key');
      const uploadId = uploads.create({
        bucket,
        key,
        ...optional('contentType', input.ContentType as string | undefined),
        ...optional('metadata', input.Metadata as Record<string, string> | undefined),
      });
      return { Bucket: bucket, Key: key, UploadId: uploadId };
    },

    UploadPart: async (input) => ({
      ETag: await uploads.uploadPart({
        bucket: str(input, 'Bucket'),
        key: str(input, 'Key'),
        uploadId: str(input, 'UploadId'),
        partNumber: Number(input.PartNumber),
        body: input.Body as Readable,
      }),
    }),

    CompleteMultipartUpload: async (input, ctx) => {
      const bucket = str(input, 'Bucket');
      const key = str(input, 'Key');
      const info = await uploads.complete({
        bucket,
        key,
        uploadId: str(input, 'UploadId'),
        parts: (input.MultipartUpload as { Parts: { PartNumber: number; ETag: string }[] }).Parts,
      });
      return { Location: location(ctx, bucket, key), Bucket: bucket, Key: key, ETag: info.etag };
    },

    AbortMultipartUpload: (input) => {
      uploads.abort({
        bucket: str(input, 'Bucket'),
        key: str(input, 'Key'),
        uploadId: str(input, 'UploadId'),
      });
      return {};
    },
  };
}

function readObject(objects: ObjectStore, input: Record<string, unknown>, withBody: boolean): ObjectOutput {
  const ref = { bucket: str(input, 'Bucket'), key: str(input, 'Key') };
  const info = objects.headObject(ref);
  const range = parseRange(input.Range as string | undefined, info.size);
  const output: ObjectOutput = {
    ContentLength: range ? range.end - range.start + 1 : info.size,
    ETag: info.etag,
    LastModified: info.lastModified,
    Metadata: info.metadata,
    ...optional('ContentType', info.contentType),
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
    throw new AwsError(
      'InvalidRange',
      `The requested range ${header} is not satisfiable for an object of ${size} bytes`,
      {
        status: 416,
        fields: { RangeRequested: header, ActualObjectSize: size },
      },
    );
  }
  return range;
}

function contents(object: ObjectInfo, encode: (key: string | undefined) => string | undefined) {
  return {
    Key: encode(object.key),
    LastModified: object.lastModified,
    ETag: object.etag,
    Size: object.size,
    StorageClass: 'STANDARD',
  };
}

function listOptions(input: Record<string, unknown>): { prefix?: string; delimiter?: string } {
  return {
    ...optional('prefix', input.Prefix as string | undefined),
    ...optional('delimiter', (input.Delimiter as string | undefined) || undefined),
  };
}

function maxKeysOf(input: Record<string, unknown>): number {
  if (input.MaxKeys === undefined) return 1000;
  const value = Number(input.MaxKeys);
  if (!Number.isInteger(value) || value < 0) {
    throw new AwsError(
      'InvalidArgument',
      `max-keys must be a non-negative integer; got ${String(input.MaxKeys)}`,
    );
  }
  return Math.min(value, 1000);
}

/** With `encoding-type=url` keys are percent-encoded in the response (botocore asks for it and decodes). */
function keyEncoder(input: Record<string, unknown>): (key: string | undefined) => string | undefined {
  const url = input.EncodingType === 'url';
  return (key) => (key === undefined || !url ? key : encodeURIComponent(key).replace(/%2F/g, '/'));
}

function encodeToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (encodeToken(key) !== token) {
    throw new AwsError('InvalidArgument', `The continuation token provided is incorrect: ${token}`);
  }
  return key;
}

function location(ctx: RequestContext, bucket: string, key: string): string {
  return `https://${bucket}.s3.${ctx.region}.amazonaws.com/${encodeURIComponent(key)}`;
}

function str(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value === '')
    throw new AwsError('InvalidRequest', `${member} is required`);
  return value;
}
