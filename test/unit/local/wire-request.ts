import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

import type { WireRequest } from '../../../local/protocols/wire';

/** A WireRequest for codec tests: method, target (path + query), headers and a body. */
export function wireRequest(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body: string | Buffer = '',
): WireRequest {
  const url = new URL(target, 'http://127.0.0.1');
  return {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers,
    stream: undefined as unknown as IncomingMessage,
    body: async () => Buffer.from(body),
    bodyStream: () => Readable.from([Buffer.from(body)]),
  };
}
