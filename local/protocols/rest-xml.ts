import { Readable } from 'node:stream';

import { AwsError } from '../core/errors';
import { isAwsChunked } from './aws-chunked';
import { bodyLimit } from './body-limits';
import { readBoundMembers, restRoutes, writeBoundMembers } from './model/http-bindings';
import { checkInput, inputShape, operationModel, outputShape } from './model/operation-input';
import {
  type OperationModel,
  type ServiceModel,
  type Shape,
  type ShapeRef,
  shapeOf,
  wireName,
} from './model/shapes';
import type { Violation } from './model/validate';
import { resolveRoute } from './rest-routing';
import { header, type WireCall, type WireProtocol, type WireRequest, type WireResponse } from './wire';
import { buildXml, parseXmlDocument } from './xml';
import { bodyMembers, readXmlShape, writeXmlShape } from './xml-shape';

/**
 * restXml (S3), driven by the model: the operation from method, URI template, query and required bindings;
 * input members from URI labels (a greedy `{Key+}` taken literally from the raw path: `..` is a key, never
 * resolved), query, headers and `x-amz-meta-*`; the payload streamed (blobs: uploads go to disk unbuffered,
 * aws-chunked decoded) or parsed as XML by its shape. Answers put header members in headers and the body
 * members (or the payload) in XML; errors are `<Error><Code>` XML, without a body for HEAD and 304.
 * Path-style (`/bucket/key`) and `<bucket>.localhost` virtual hosts.
 */
export function restXmlProtocol(model: ServiceModel): WireProtocol {
  const routes = restRoutes(model);
  const namespace = serviceNamespace(model);
  const unknown = (operation: string) =>
    new AwsError('NotImplemented', `the local AWS does not implement S3 operation ${operation}`, {
      status: 501,
    });
  return {
    throttling: { code: 'SlowDown', status: 503, message: 'Please reduce your request rate.' },

    async decode(request) {
      const path = s3Path(request);
      const match = resolveRoute(model, routes, { ...request, path });
      if (!match) throw unknown(`${request.method} ${path}${describeQuery(request.query)}`);
      const operation = operationModel(model, match.operation, unknown);
      const shape = inputShape(model, operation);
      const input = readBoundMembers(model, shape, request, match.labels);
      await readPayload({ model, operation: match.operation, shape, request, input });
      checkInput(model, operation, input, 'InvalidArgument', (first) => s3Argument(shape, first));
      return { operation: match.operation, input };
    },

    encode(call, output) {
      const operation = operationModel(model, call.operation, unknown);
      return encodeOutput({ model, operation, namespace }, (output ?? {}) as Record<string, unknown>);
    },

    encodeError(error, ctx, call) {
      const headers = { 'content-type': 'application/xml', 'x-amz-request-id': ctx.requestId };
      // HEAD answers and 304 carry no body: clients read the status code (404 → NotFound).
      if (call?.operation.startsWith('Head') || error.status === 304)
        return { status: error.status, headers };
      const fields = Object.fromEntries(
        Object.entries(error.fields).map(([name, value]) => [name, String(value)]),
      );
      const body = {
        Error: { Code: error.code, Message: error.message, ...fields, RequestId: ctx.requestId },
      };
      return { status: error.status, headers, body: buildXml(body) };
    },

    unknownOperation: (operation) => unknown(operation),
  };
}

/**
 * S3's InvalidArgument names the argument as sent (`x-amz-acl`, `max-keys`, `partNumber`) and its value:
 * the wire name of the top-level member the violation is under (AWS's path starts with its lowerCamel name).
 */
function s3Argument(shape: Shape, violation: Violation): Record<string, string> {
  const top = violation.path.split('.')[0]!;
  const member = Object.entries(shape.members ?? {}).find(
    ([name]) => name.charAt(0).toLowerCase() + name.slice(1) === top,
  );
  const name = member ? wireName(member[0], member[1]) : top;
  const value = violation.value === undefined || violation.value === null ? '' : String(violation.value);
  return { ArgumentName: name, ArgumentValue: value };
}

/**
 * The request path as sent (still percent-encoded, dots and all): Node's `req.url`, not a URL parser's
 * normalized pathname. With a `<bucket>.localhost` host, the bucket is put in front, path-style.
 */
function s3Path(request: WireRequest): string {
  const raw = (request.stream.url ?? request.path).split('?')[0]!;
  const virtualHost = /^([a-z0-9][a-z0-9.-]*)\.localhost(:\d+)?$/.exec(header(request, 'host') ?? '');
  return virtualHost ? `/${virtualHost[1]}${raw}` : raw;
}

function describeQuery(query: URLSearchParams): string {
  const names = [...query.keys()].filter((name) => !/^x-amz-/i.test(name));
  return names.length > 0 ? `?${names.join('&')}` : '';
}

interface PayloadRead {
  readonly model: ServiceModel;
  readonly operation: string;
  readonly shape: Shape;
  readonly request: WireRequest;
  readonly input: Record<string, unknown>;
}

/** The payload member: a blob streams, a structure is XML by its shape; without one the body is unused. */
async function readPayload({ model, operation, shape, request, input }: PayloadRead): Promise<void> {
  const name = shape.payload;
  const ref = name === undefined ? undefined : shape.members?.[name];
  if (name === undefined || !ref) {
    request.stream.resume();
    return;
  }
  const payload = shapeOf(model, ref);
  if (payload.type === 'blob' || payload.type === 'string') {
    // Decoded from aws-chunked, size-limited and with errors kept on the stream by the server.
    input[name] = request.bodyStream();
    if (isAwsChunked(header(request, 'content-encoding'), header(request, 'x-amz-content-sha256')))
      stripChunkedEncoding(input);
    return;
  }
  const text = (await request.body(bodyLimit(model.metadata.serviceId, operation))).toString('utf8');
  // An optional payload may be left out (CreateBucket without a configuration).
  if (text.trim() === '' && !(shape.required ?? []).includes(name)) return;
  const root = ref.locationName ?? name;
  input[name] = readXmlShape(model, ref, parseXmlDocument(text, root), name);
}

/** `aws-chunked` is how the body travelled, not how it is stored: S3 drops it from Content-Encoding. */
function stripChunkedEncoding(input: Record<string, unknown>): void {
  if (typeof input.ContentEncoding !== 'string') return;
  const rest = input.ContentEncoding.split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding !== 'aws-chunked');
  if (rest.length > 0) input.ContentEncoding = rest.join(',');
  else delete input.ContentEncoding;
}

interface Encoding {
  readonly model: ServiceModel;
  readonly operation: OperationModel;
  readonly namespace: string | undefined;
}

function encodeOutput(
  { model, operation, namespace }: Encoding,
  output: Record<string, unknown>,
): WireResponse {
  const shape = outputShape(model, operation);
  const bound = writeBoundMembers(model, shape, output);
  const headers = bound.headers;
  const body = responseBody({ model, operation, namespace }, shape, output);
  if (body !== undefined && !(body instanceof Readable) && !Buffer.isBuffer(body))
    headers['content-type'] ??= 'application/xml';
  // A ranged read of a streamed payload is partial content (HTTP's rule, RFC 9110 §15.3.7).
  const partial = headers['content-range'] !== undefined && body instanceof Readable;
  const status = bound.status ?? (partial ? 206 : (operation.http.responseCode ?? 200));
  return body === undefined ? { status, headers } : { status, headers, body };
}

function responseBody(
  { model, operation, namespace }: Encoding,
  shape: Shape,
  output: Record<string, unknown>,
): string | Buffer | Readable | undefined {
  if (shape.payload !== undefined) {
    const ref = shape.members![shape.payload]!;
    const value = output[shape.payload];
    if (value === undefined || value === null) return undefined;
    const payload = shapeOf(model, ref);
    if (payload.type === 'blob' || payload.type === 'string')
      return value instanceof Readable || Buffer.isBuffer(value) ? value : String(value);
    return document(model, ref.locationName ?? shape.payload, ref, value, namespace);
  }
  const members = bodyMembers(shape);
  if (members.length === 0) return undefined;
  const only = members.length === 1 ? members[0]! : undefined;
  // A lone scalar member is the document itself (`<LocationConstraint>eu-west-1</LocationConstraint>`):
  // botocore and the SDKs read such answers from the root's text.
  if (only && !['structure', 'list', 'map'].includes(shapeOf(model, only[1]).type)) {
    const value = output[only[0]];
    return document(model, wireName(only[0], only[1]), only[1], value ?? '', namespace);
  }
  // Clients read the members under the root whatever its name; the model names no root for S3's outputs.
  const root = shape.locationName ?? `${operation.name}Result`;
  return document(model, root, operation.output!, output, namespace);
}

function document(
  model: ServiceModel,
  root: string,
  ref: ShapeRef,
  value: unknown,
  namespace: string | undefined,
): string {
  const content = writeXmlShape(model, ref, value);
  const element = typeof content === 'object' && content !== null ? content : { '#text': content };
  return buildXml({ [root]: namespace ? { '@_xmlns': namespace, ...element } : element });
}

/** The service's XML namespace: the metadata's, else the one its model declares on request payloads. */
function serviceNamespace(model: ServiceModel): string | undefined {
  if (model.metadata.xmlNamespace) return model.metadata.xmlNamespace;
  for (const operation of Object.values(model.operations)) {
    const input = operation.input ? shapeOf(model, operation.input) : undefined;
    for (const ref of Object.values(input?.members ?? {}))
      if (ref.xmlNamespace?.uri) return ref.xmlNamespace.uri;
  }
  return undefined;
}

export type { WireCall };
