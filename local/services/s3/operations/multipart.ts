import { Readable } from 'node:stream';

import type {
  AbortMultipartUploadOutput,
  AbortMultipartUploadRequest,
  CompleteMultipartUploadOutput,
  CompleteMultipartUploadRequest,
  CreateMultipartUploadOutput,
  CreateMultipartUploadRequest,
  ListPartsOutput,
  ListPartsRequest,
  UploadPartOutput,
  UploadPartRequest,
} from '@aws-sdk/client-s3';

import { AwsError } from '../../../core/errors';
import { operation } from '../../../core/operations';
import type { Validated } from '../../../core/validated';
import { optional } from '../../../core/optional';
import type { OperationHandler, RequestContext } from '../../../core/service';
import type { MultipartUploads } from '../multipart';
import type { ObjectStore } from '../object-store';
import { storedHeaders } from '../standard-headers';

type CreateInput = Omit<CreateMultipartUploadRequest, 'Expires'> & { Expires?: string };
type UploadPartInput = Omit<UploadPartRequest, 'Body'> & { Body?: Readable };

/** CreateMultipartUpload, UploadPart, ListParts, CompleteMultipartUpload, AbortMultipartUpload. */
export function multipartOperations(
  objects: ObjectStore,
  uploads: MultipartUploads,
): Record<string, OperationHandler> {
  return {
    CreateMultipartUpload: operation<Validated<CreateInput>, CreateMultipartUploadOutput>((input) => ({
      Bucket: input.Bucket,
      Key: input.Key,
      UploadId: uploads.create({
        bucket: input.Bucket,
        key: input.Key,
        ...optional('contentType', input.ContentType),
        ...optional('metadata', input.Metadata),
        headers: storedHeaders(input),
      }),
    })),

    UploadPart: operation<Validated<UploadPartInput>, UploadPartOutput>(async (input) => ({
      ETag: await uploads.uploadPart({
        bucket: input.Bucket,
        key: input.Key,
        uploadId: input.UploadId,
        partNumber: input.PartNumber,
        body: input.Body ?? Readable.from([]),
        ...optional('contentMd5', input.ContentMD5),
      }),
    })),

    ListParts: operation<Validated<ListPartsRequest>, ListPartsOutput>((input) => {
      const marker = input.PartNumberMarker === undefined ? 0 : Number(input.PartNumberMarker);
      const maxParts = Math.min(input.MaxParts ?? 1000, 1000);
      const after = uploads
        .parts({ bucket: input.Bucket, key: input.Key, uploadId: input.UploadId })
        .filter((part) => part.partNumber > marker);
      const page = after.slice(0, maxParts);
      const truncated = after.length > page.length;
      return {
        Bucket: input.Bucket,
        Key: input.Key,
        UploadId: input.UploadId,
        PartNumberMarker: String(marker),
        ...(truncated ? { NextPartNumberMarker: String(page.at(-1)!.partNumber) } : {}),
        MaxParts: maxParts,
        IsTruncated: truncated,
        Parts: page.map((part) => ({ PartNumber: part.partNumber, ETag: `"${part.md5}"`, Size: part.size })),
        StorageClass: 'STANDARD',
      };
    }),

    CompleteMultipartUpload: operation<
      Validated<CompleteMultipartUploadRequest>,
      CompleteMultipartUploadOutput
    >(async (input, ctx) => {
      const parts = (input.MultipartUpload?.Parts ?? []).map((part) => {
        if (part.PartNumber === undefined || part.ETag === undefined)
          throw new AwsError('MalformedXML', 'every <Part> must have a <PartNumber> and an <ETag>');
        return { PartNumber: part.PartNumber, ETag: part.ETag };
      });
      const info = await uploads.complete({
        bucket: input.Bucket,
        key: input.Key,
        uploadId: input.UploadId,
        parts,
      });
      return {
        Location: location(ctx, input.Bucket, input.Key),
        Bucket: input.Bucket,
        Key: input.Key,
        ETag: info.etag,
      };
    }),

    AbortMultipartUpload: operation<Validated<AbortMultipartUploadRequest>, AbortMultipartUploadOutput>(
      (input) => {
        objects.requireBucket(input.Bucket);
        uploads.abort({ bucket: input.Bucket, key: input.Key, uploadId: input.UploadId });
        return {};
      },
    ),
  };
}

function location(ctx: RequestContext, bucket: string, key: string): string {
  return `https://${bucket}.s3.${ctx.region}.amazonaws.com/${encodeURIComponent(key)}`;
}
