import { Transform, type TransformCallback } from 'node:stream';

import { AwsError } from '../core/errors';

/** A chunk header is a hex size and a signature: far shorter than this. */
const MAX_HEADER_LINE = 4096;

/**
 * Decodes S3's `aws-chunked` content encoding (what SDKs send for streamed bodies with trailing checksums):
 * `<hex size>[;chunk-signature=...]\r\n<data>\r\n` ... `0\r\n<trailers>\r\n\r\n`. Signatures and trailing
 * checksums are not verified (the local AWS accepts SigV4 without checking it).
 */
export class AwsChunkedDecoder extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private state: 'header' | 'data' | 'chunk-end' | 'done' = 'header';
  /** Bytes of data left in the current chunk. */
  private remaining = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    try {
      while (this.step());
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    const done = this.state === 'done';
    callback(
      done
        ? null
        : incomplete('You did not provide the number of bytes specified by the aws-chunked encoding'),
    );
  }

  /** Consumes what it can of the pending bytes; false when it needs more input (or the body is done). */
  private step(): boolean {
    switch (this.state) {
      case 'header': {
        const end = this.pending.indexOf('\r\n');
        if (end < 0) {
          if (this.pending.length > MAX_HEADER_LINE)
            throw incomplete(`aws-chunked chunk header longer than ${MAX_HEADER_LINE} bytes`);
          return false;
        }
        const line = this.pending.subarray(0, end).toString('latin1');
        const sizeText = line.split(';')[0]!;
        const size = /^[0-9a-fA-F]{1,12}$/.test(sizeText) ? parseInt(sizeText, 16) : NaN;
        if (Number.isNaN(size)) throw incomplete(`malformed aws-chunked chunk header "${line.slice(0, 80)}"`);
        this.pending = this.pending.subarray(end + 2);
        this.remaining = size;
        // Trailers after the last chunk carry checksums we do not verify.
        this.state = size === 0 ? 'done' : 'data';
        return this.state === 'data';
      }
      case 'data': {
        if (this.pending.length === 0) return false;
        const take = Math.min(this.remaining, this.pending.length);
        this.push(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'chunk-end';
        return true;
      }
      case 'chunk-end':
        if (this.pending.length < 2) return false;
        if (this.pending[0] !== 0x0d || this.pending[1] !== 0x0a)
          throw incomplete('aws-chunked chunk data is longer than its declared size');
        this.pending = this.pending.subarray(2);
        this.state = 'header';
        return true;
      case 'done':
        return false;
    }
  }
}

/** Whether a request body uses the aws-chunked encoding. */
export function isAwsChunked(
  contentEncoding: string | undefined,
  contentSha256: string | undefined,
): boolean {
  return Boolean(contentEncoding?.includes('aws-chunked') || contentSha256?.startsWith('STREAMING-'));
}

const incomplete = (message: string) => new AwsError('IncompleteBody', message);
