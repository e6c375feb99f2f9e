import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

import type { AwsError } from '../core/errors';
import type { RequestContext } from '../core/service';

/** An HTTP request as the protocol layer sees it. The body is read on demand, so S3 can stream it. */
export interface WireRequest {
  readonly method: string;
  /** The raw (still percent-encoded) path. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The request body as a stream; use `body()` instead unless the operation streams. */
  readonly stream: IncomingMessage;
  /**
   * The whole body (read once, then cached), refused with 413 past `limit` bytes (default: the server's
   * DEFAULT_BODY_LIMIT) — pass the operation's limit from body-limits.ts.
   */
  body(limit?: number): Promise<Buffer>;
  /**
   * The body as a stream (aws-chunked decoded when the headers say so), for operations that write it to
   * disk as it comes; refused past `limit` bytes (default 5 GiB) while it flows. Its errors never go
   * unhandled, even if the operation fails before reading it.
   */
  bodyStream(limit?: number): Readable;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer | Readable;
}

/** An operation call decoded from the wire. */
export interface WireCall {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

/**
 * One AWS protocol: decodes requests into `{operation, input}` and encodes results and AwsErrors in the
 * shape the SDK clients of that protocol deserialize.
 */
export interface WireProtocol {
  /** The error code this protocol's clients classify as throttling (fault injection answers with it). */
  readonly throttling: { readonly code: string; readonly status: number; readonly message: string };
  decode(request: WireRequest): Promise<WireCall>;
  encode(call: WireCall, output: unknown, ctx: RequestContext): WireResponse;
  encodeError(error: AwsError, ctx: RequestContext, call?: WireCall): WireResponse;
  /** The error for an operation the provider does not implement, naming it. */
  unknownOperation(operation: string, service: string): AwsError;
}

export function header(request: WireRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/** JSON text with Dates as epoch seconds (the awsJson / restJson timestamp format) and Buffers as base64. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    function replacer(this: Record<string, unknown>, key: string, converted: unknown) {
      const raw = this[key];
      if (raw instanceof Date) return raw.getTime() / 1000;
      if (Buffer.isBuffer(raw)) return raw.toString('base64');
      return converted;
    },
  );
}
