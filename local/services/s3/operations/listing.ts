import type {
  ListObjectsOutput,
  ListObjectsRequest,
  ListObjectsV2Output,
  ListObjectsV2Request,
} from '@aws-sdk/client-s3';

import type { ObjectInfo } from '../../../core/deps';
import { AwsError } from '../../../core/errors';
import { operation } from '../../../core/operations';
import type { Validated } from '../../../core/validated';
import { optional } from '../../../core/optional';
import type { OperationHandler } from '../../../core/service';
import type { ObjectStore } from '../object-store';

const MAX_KEYS = 1000;

/** ListObjectsV2 (continuation tokens) and ListObjects (markers). */
export function listingOperations(objects: ObjectStore): Record<string, OperationHandler> {
  return {
    ListObjectsV2: operation<Validated<ListObjectsV2Request>, ListObjectsV2Output>((input) => {
      const token = input.ContinuationToken;
      const startAfter = token !== undefined ? decodeToken(token) : input.StartAfter;
      const maxKeys = maxKeysOf(input.MaxKeys);
      const page = objects.listObjects({
        bucket: input.Bucket,
        ...listOptions(input),
        maxKeys,
        ...optional('startAfter', startAfter),
      });
      const encode = keyEncoder(input.EncodingType);
      return {
        Name: input.Bucket,
        Prefix: encode(input.Prefix) ?? '',
        ...optional('Delimiter', encode(input.Delimiter)),
        ...optional('StartAfter', encode(input.StartAfter)),
        ...optional('EncodingType', input.EncodingType),
        MaxKeys: maxKeys,
        KeyCount: page.objects.length + page.commonPrefixes.length,
        IsTruncated: page.isTruncated,
        ...optional('ContinuationToken', token),
        ...(page.isTruncated && page.lastKey !== undefined
          ? { NextContinuationToken: encodeToken(page.lastKey) }
          : {}),
        Contents: page.objects.map((object) => contents(object, encode)),
        CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
      };
    }),

    ListObjects: operation<Validated<ListObjectsRequest>, ListObjectsOutput>((input) => {
      const maxKeys = maxKeysOf(input.MaxKeys);
      const page = objects.listObjects({
        bucket: input.Bucket,
        ...listOptions(input),
        maxKeys,
        ...optional('startAfter', input.Marker),
      });
      const encode = keyEncoder(input.EncodingType);
      return {
        Name: input.Bucket,
        Prefix: encode(input.Prefix) ?? '',
        Marker: encode(input.Marker) ?? '',
        ...optional('Delimiter', encode(input.Delimiter)),
        ...optional('EncodingType', input.EncodingType),
        MaxKeys: maxKeys,
        IsTruncated: page.isTruncated,
        ...optional('NextMarker', page.isTruncated ? encode(page.lastKey) : undefined),
        Contents: page.objects.map((object) => contents(object, encode)),
        CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
      };
    }),
  };
}

function contents(object: ObjectInfo, encode: (key: string | undefined) => string | undefined) {
  return {
    Key: encode(object.key)!,
    LastModified: object.lastModified,
    ETag: object.etag,
    Size: object.size,
    StorageClass: 'STANDARD' as const,
  };
}

function listOptions(input: { Prefix?: string | undefined; Delimiter?: string | undefined }) {
  return {
    ...optional('prefix', input.Prefix),
    ...optional('delimiter', input.Delimiter || undefined),
  };
}

function maxKeysOf(maxKeys: number | undefined): number {
  if (maxKeys === undefined) return MAX_KEYS;
  if (maxKeys < 0) throw new AwsError('InvalidArgument', `max-keys must be non-negative; got ${maxKeys}`);
  return Math.min(maxKeys, MAX_KEYS);
}

/** With `encoding-type=url` keys are percent-encoded in the response (botocore asks for it and decodes). */
function keyEncoder(encodingType: string | undefined): (key: string | undefined) => string | undefined {
  const url = encodingType === 'url';
  return (key) => (key === undefined || !url ? key : encodeURIComponent(key).replace(/%2F/g, '/'));
}

/** A continuation token: the last key (or bucket name) of the page, base64url. */
export function encodeToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (encodeToken(key) !== token) {
    throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect', {
      fields: { ArgumentName: 'continuation-token', ArgumentValue: token },
    });
  }
  return key;
}
