import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { Readable } from 'node:stream';

import type { ObjectInfo, ObjectRef } from '../../core/deps';
import { AwsError } from '../../core/errors';
import type { StateStore } from '../../state/store';
import { checkContentMd5 } from './content-md5';
import type { Blob, ObjectStore, StandardHeaders } from './object-store';

interface UploadRecord extends ObjectRef {
  readonly uploadId: string;
  readonly contentType?: string;
  readonly metadata: Record<string, string>;
  readonly headers?: StandardHeaders;
  readonly initiated: string;
}

export interface PartRecord extends Blob {
  readonly partNumber: number;
}

/** Parts below this size are refused, except the last (S3's rule, which lib-storage's Upload honours). */
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;

/** Multipart uploads: parts are blobs recorded per upload; completing concatenates them into one object. */
export class MultipartUploads {
  constructor(
    private readonly store: StateStore,
    private readonly objects: ObjectStore,
  ) {}

  create(
    request: ObjectRef & {
      contentType?: string;
      metadata?: Record<string, string>;
      headers?: StandardHeaders;
    },
  ): string {
    this.objects.requireBucket(request.bucket);
    const uploadId = randomUUID().replace(/-/g, '');
    const record: UploadRecord = {
      uploadId,
      bucket: request.bucket,
      key: request.key,
      ...(request.contentType !== undefined ? { contentType: request.contentType } : {}),
      metadata: { ...request.metadata },
      ...(request.headers !== undefined ? { headers: request.headers } : {}),
      initiated: new Date().toISOString(),
    };
    this.store.put('s3/uploads', uploadId, record);
    return uploadId;
  }

  async uploadPart(
    request: ObjectRef & { uploadId: string; partNumber: number; body: Readable; contentMd5?: string },
  ): Promise<string> {
    this.upload(request);
    if (
      !Number.isInteger(request.partNumber) ||
      request.partNumber < 1 ||
      request.partNumber > MAX_PART_NUMBER
    ) {
      throw new AwsError(
        'InvalidArgument',
        `partNumber must be an integer from 1 to ${MAX_PART_NUMBER}; got ${request.partNumber}`,
      );
    }
    const blob = await this.objects.writeBlob(request.body);
    checkContentMd5(this.objects, blob, request.contentMd5);
    const collection = this.partsCollection(request.uploadId);
    const previous = this.store.get<PartRecord>(collection, String(request.partNumber));
    this.store.put<PartRecord>(collection, String(request.partNumber), {
      ...blob,
      partNumber: request.partNumber,
    });
    if (previous) this.objects.discardBlob(previous.blob);
    return `"${blob.md5}"`;
  }

  async complete(
    request: ObjectRef & { uploadId: string; parts: readonly { PartNumber: number; ETag: string }[] },
  ): Promise<ObjectInfo> {
    const upload = this.upload(request);
    const parts = this.orderedParts(request.uploadId, request.parts);
    const files = parts.map((part) => this.objects.blobPath(part.blob));
    const blob = await this.objects.writeBlob(Readable.from(concatenate(files)));
    const digest = createHash('md5');
    for (const part of parts) digest.update(Buffer.from(part.md5, 'hex'));
    const info = this.objects.attach({
      bucket: upload.bucket,
      key: upload.key,
      blob,
      etag: `"${digest.digest('hex')}-${parts.length}"`,
      ...(upload.contentType !== undefined ? { contentType: upload.contentType } : {}),
      metadata: upload.metadata,
      ...(upload.headers !== undefined ? { headers: upload.headers } : {}),
    });
    this.discard(request.uploadId);
    return info;
  }

  /** The upload's parts in PartNumber order (ListParts). */
  parts(request: ObjectRef & { uploadId: string }): PartRecord[] {
    this.upload(request);
    return this.store
      .list<PartRecord>(this.partsCollection(request.uploadId))
      .sort((a, b) => a.partNumber - b.partNumber);
  }

  abort(request: ObjectRef & { uploadId: string }): void {
    this.upload(request);
    this.discard(request.uploadId);
  }

  private orderedParts(
    uploadId: string,
    requested: readonly { PartNumber: number; ETag: string }[],
  ): PartRecord[] {
    if (requested.length === 0) {
      throw new AwsError('MalformedXML', 'CompleteMultipartUpload must list at least one part');
    }
    const collection = this.partsCollection(uploadId);
    return requested.map((wanted, index) => {
      const previous = requested[index - 1];
      if (previous && wanted.PartNumber <= previous.PartNumber) {
        throw new AwsError(
          'InvalidPartOrder',
          `parts must be listed in ascending PartNumber order; ${wanted.PartNumber} follows ${previous.PartNumber}`,
        );
      }
      const part = this.store.get<PartRecord>(collection, String(wanted.PartNumber));
      if (!part || `"${part.md5}"` !== `"${wanted.ETag.replace(/"/g, '')}"`) {
        throw new AwsError(
          'InvalidPart',
          `part ${wanted.PartNumber} with ETag ${wanted.ETag} was not uploaded to upload ${uploadId}`,
        );
      }
      if (index < requested.length - 1 && part.size < MIN_PART_SIZE) {
        throw new AwsError(
          'EntityTooSmall',
          `part ${wanted.PartNumber} is ${part.size} bytes; every part but the last must be at least ${MIN_PART_SIZE} bytes`,
        );
      }
      return part;
    });
  }

  private upload(ref: ObjectRef & { uploadId: string }): UploadRecord {
    const upload = this.store.get<UploadRecord>('s3/uploads', ref.uploadId);
    if (!upload || upload.bucket !== ref.bucket || upload.key !== ref.key) {
      throw new AwsError(
        'NoSuchUpload',
        `The specified multipart upload does not exist: ${ref.uploadId} for s3://${ref.bucket}/${ref.key}`,
        {
          status: 404,
          fields: { UploadId: ref.uploadId },
        },
      );
    }
    return upload;
  }

  private discard(uploadId: string): void {
    const collection = this.partsCollection(uploadId);
    for (const part of this.store.list<PartRecord>(collection)) this.objects.discardBlob(part.blob);
    this.store.removeCollection(collection);
    this.store.delete('s3/uploads', uploadId);
  }

  private partsCollection(uploadId: string): string {
    return `s3/parts/${uploadId}`;
  }
}

async function* concatenate(files: readonly string[]): AsyncGenerator<Buffer> {
  for (const file of files) yield* fs.createReadStream(file) as AsyncIterable<Buffer>;
}
