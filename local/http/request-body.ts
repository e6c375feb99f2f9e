import type { IncomingMessage } from 'node:http';
import { type Readable, Transform } from 'node:stream';

import { AwsError } from '../core/errors';
import { AwsChunkedDecoder, isAwsChunked } from '../protocols/aws-chunked';

/** Why a body was not read to its end: the server closes such a connection instead of draining it. */
export class BodyTooLarge extends AwsError {
  constructor(limit: number, received: string) {
    super(
      'RequestEntityTooLarge',
      `request body is ${received}; this operation accepts at most ${limit} bytes`,
      { status: 413 },
    );
  }
}

/**
 * Reads a request body up to `limit` bytes. A declared Content-Length over the limit is refused before a
 * byte is read, and a body without one (chunked) is refused as soon as it passes the limit, so a client
 * cannot make the server buffer more than the operation accepts. Stream errors (a client that goes away,
 * a broken chunked encoding) become AwsErrors, never an unhandled 'error' event.
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return Promise.reject(new BodyTooLarge(limit, `${declared} bytes (Content-Length)`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish(new BodyTooLarge(limit, `over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(incomplete(error.message));
    const onAborted = () => finish(incomplete('the client closed the connection'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });
}

function incomplete(reason: string): AwsError {
  return new AwsError('IncompleteBody', `the request body could not be read: ${reason}`);
}

/** S3's largest single upload (PutObject, UploadPart): 5 GiB. */
export const MAX_STREAMED_BODY = 5 * 1024 * 1024 * 1024;

/**
 * The request body as a stream for operations that write it straight to disk: aws-chunked decoded when the
 * headers say so, refused past `limit` bytes while it flows, and with its errors kept on the stream it
 * returns (an operation that fails before reading it cannot leave an unhandled 'error' behind).
 */
export function streamRequestBody(req: IncomingMessage, limit = MAX_STREAMED_BODY): Readable {
  const declared = Number(req.headers['content-length'] ?? NaN);
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(bytes > limit ? new BodyTooLarge(limit, `over ${limit} bytes`) : null, chunk);
    },
  });
  const header = (name: string) => String(req.headers[name] ?? '');
  const chunked = isAwsChunked(header('content-encoding'), header('x-amz-content-sha256'));
  const stages: Transform[] = chunked ? [new AwsChunkedDecoder(), counted] : [counted];
  for (const stage of stages) stage.on('error', () => undefined);
  if (declared > limit) {
    counted.destroy(new BodyTooLarge(limit, `${declared} bytes (Content-Length)`));
    return counted;
  }
  req.on('aborted', () => stages[0]!.destroy(incomplete('the client closed the connection')));
  req.on('error', (error) => stages[0]!.destroy(incomplete(error.message)));
  let source: Readable = req;
  for (const stage of stages) source = source.pipe(stage);
  return source;
}
