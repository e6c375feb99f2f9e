import type { Readable } from 'node:stream';

import { AwsError } from '../core/errors';
import { header, type WireCall, type WireProtocol, type WireRequest, type WireResponse } from './wire';
import { buildXml, parseXml, xmlValue } from './xml';

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Query parameters that are operation arguments, not sub-resources naming another operation. */
const ARGUMENTS = new Set([
  'x-id',
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
  'marker',
  'partNumber',
  'uploadId',
  'versionId',
]);

/** Outputs the provider returns for streamed reads (GetObject / HeadObject). */
export interface ObjectOutput {
  readonly Body?: Readable;
  readonly ContentLength: number;
  readonly ContentRange?: string;
  readonly ContentType?: string;
  readonly ETag: string;
  readonly LastModified: Date;
  readonly Metadata: Readonly<Record<string, string>>;
}

/**
 * restXml for S3, path-style (`/bucket/key`) or `<bucket>.localhost` virtual hosts. Inputs and outputs use
 * the SDK's member names (Bucket, Key, Body, ContentType, Metadata, Range, ...). PutObject and UploadPart
 * pass the body as a stream (aws-chunked decoded) so large objects go straight to disk.
 */
export function s3RestXmlProtocol(): WireProtocol {
  return {
    throttling: { code: 'SlowDown', status: 503, message: 'Please reduce your request rate.' },
    decode: decodeS3Request,
    encode: encodeS3Result,
    encodeError(error, ctx, call) {
      const headers = { 'content-type': 'application/xml', 'x-amz-request-id': ctx.requestId };
      // HEAD responses carry no body; clients read the status code (404 → NotFound).
      if (call?.operation.startsWith('Head')) return { status: error.status, headers };
      const fields = xmlValue(error.fields) as Record<string, unknown>;
      const body = {
        Error: { Code: error.code, Message: error.message, ...fields, RequestId: ctx.requestId },
      };
      return { status: error.status, headers, body: buildXml(body) };
    },
    unknownOperation(operation, service) {
      return new AwsError(
        'NotImplemented',
        `the local AWS does not implement ${service} operation ${operation}`,
        {
          status: 501,
        },
      );
    },
  };
}

interface S3Target {
  readonly bucket?: string;
  readonly key?: string;
}

/** Bucket and key from a path-style path or a `<bucket>.localhost` host. */
export function s3Target(path: string, host: string | undefined): S3Target {
  const virtualHost = /^([a-z0-9][a-z0-9.-]*)\.localhost(:\d+)?$/.exec(host ?? '');
  const segments = path.replace(/^\//, '');
  if (virtualHost)
    return { bucket: virtualHost[1]!, ...(segments ? { key: decodeURIComponent(segments) } : {}) };
  const slash = segments.indexOf('/');
  if (!segments) return {};
  if (slash < 0) return { bucket: decodeURIComponent(segments) };
  const key = decodeURIComponent(segments.slice(slash + 1));
  return { bucket: decodeURIComponent(segments.slice(0, slash)), ...(key ? { key } : {}) };
}

async function decodeS3Request(request: WireRequest): Promise<WireCall> {
  const target = s3Target(request.path, header(request, 'host'));
  const operation = s3Operation(request, target);
  const input: Record<string, unknown> = { Bucket: target.bucket, Key: target.key, ...commonInput(request) };
  switch (operation) {
    case 'PutObject':
    case 'UploadPart':
      input.Body = request.bodyStream();
      break;
    case 'DeleteObjects':
      input.Delete = deleteRequest(await request.body());
      break;
    case 'CompleteMultipartUpload':
      input.MultipartUpload = completeRequest(await request.body());
      break;
    default:
      request.stream.resume();
  }
  return { operation, input };
}

/** The operation a request addresses, from method, bucket/key and sub-resource (query flag). */
export function s3Operation(request: WireRequest, target: S3Target): string {
  const { method, query } = request;
  const subresource = [...query.keys()].find((name) => !ARGUMENTS.has(name) && !name.startsWith('X-Amz-'));
  if (!target.bucket) {
    if (method === 'GET') return 'ListBuckets';
    return unknown(method, 'Service', subresource);
  }
  if (!target.key) {
    if (subresource === 'delete' && method === 'POST') return 'DeleteObjects';
    if (subresource === 'location' && method === 'GET') return 'GetBucketLocation';
    if (subresource) return unknown(method, 'Bucket', subresource);
    if (method === 'GET') return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    return (
      ({ PUT: 'CreateBucket', HEAD: 'HeadBucket', DELETE: 'DeleteBucket' } as Record<string, string>)[
        method
      ] ?? unknown(method, 'Bucket')
    );
  }
  if (subresource === 'uploads' && method === 'POST') return 'CreateMultipartUpload';
  if (subresource) return unknown(method, 'Object', subresource);
  const copy = header(request, 'x-amz-copy-source') !== undefined;
  if (query.has('uploadId')) {
    const upload: Record<string, string> = {
      PUT: copy ? 'UploadPartCopy' : 'UploadPart',
      POST: 'CompleteMultipartUpload',
      DELETE: 'AbortMultipartUpload',
      GET: 'ListParts',
    };
    return upload[method] ?? unknown(method, 'Object');
  }
  const plain: Record<string, string> = {
    PUT: copy ? 'CopyObject' : 'PutObject',
    GET: 'GetObject',
    HEAD: 'HeadObject',
    DELETE: 'DeleteObject',
  };
  return plain[method] ?? unknown(method, 'Object');
}

/** A readable name for an operation we do not route, e.g. `PUT ?tagging` on a bucket → PutBucketTagging. */
function unknown(method: string, scope: string, subresource?: string): string {
  const verb =
    ({ GET: 'Get', PUT: 'Put', DELETE: 'Delete', POST: 'Post', HEAD: 'Head' } as Record<string, string>)[
      method
    ] ?? method;
  const name = (subresource ?? '').replace(/(^|-)(\w)/g, (_, _dash: string, letter: string) =>
    letter.toUpperCase(),
  );
  return `${verb}${scope}${name}`;
}

function commonInput(request: WireRequest): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const set = (member: string, value: string | null | undefined) => {
    if (value !== undefined && value !== null) input[member] = value;
  };
  const { query } = request;
  set('Prefix', query.get('prefix'));
  set('Delimiter', query.get('delimiter'));
  set('MaxKeys', query.get('max-keys'));
  set('ContinuationToken', query.get('continuation-token'));
  set('StartAfter', query.get('start-after'));
  set('EncodingType', query.get('encoding-type'));
  set('Marker', query.get('marker'));
  set('UploadId', query.get('uploadId'));
  set('PartNumber', query.get('partNumber'));
  set('Range', header(request, 'range'));
  set('ContentType', header(request, 'content-type'));
  set('MetadataDirective', header(request, 'x-amz-metadata-directive'));
  const copySource = header(request, 'x-amz-copy-source');
  if (copySource !== undefined)
    set('CopySource', decodeURIComponent(copySource.split('?')[0]!).replace(/^\//, ''));
  const metadata = Object.entries(request.headers)
    .filter(([name]) => name.startsWith('x-amz-meta-'))
    .map(([name, value]) => [name.slice('x-amz-meta-'.length), String(value)]);
  if (metadata.length > 0) input.Metadata = Object.fromEntries(metadata);
  return input;
}

function deleteRequest(body: Buffer): { Objects: { Key: string }[]; Quiet: boolean } {
  const parsed = parseXml(body.toString('utf8'), ['Object']).Delete as Record<string, unknown> | undefined;
  if (!parsed) throw malformed('DeleteObjects', '<Delete><Object><Key>...</Key></Object></Delete>');
  const objects = (parsed.Object ?? []) as { Key?: unknown }[];
  return {
    Objects: objects.map((object) => ({ Key: String(object.Key ?? '') })),
    Quiet: parsed.Quiet === 'true',
  };
}

function completeRequest(body: Buffer): { Parts: { PartNumber: number; ETag: string }[] } {
  const parsed = parseXml(body.toString('utf8'), ['Part']).CompleteMultipartUpload as
    Record<string, unknown> | undefined;
  if (!parsed) {
    throw malformed(
      'CompleteMultipartUpload',
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>...</ETag></Part></CompleteMultipartUpload>',
    );
  }
  const parts = (parsed.Part ?? []) as { PartNumber?: unknown; ETag?: unknown }[];
  return {
    Parts: parts.map((part) => ({ PartNumber: Number(part.PartNumber), ETag: String(part.ETag ?? '') })),
  };
}

function malformed(operation: string, expected: string): AwsError {
  return new AwsError('MalformedXML', `the ${operation} request body is not the expected XML ${expected}`);
}

/** Root element of each XML-bodied result. */
const XML_RESULTS: Record<string, string> = {
  ListObjectsV2: 'ListBucketResult',
  ListObjects: 'ListBucketResult',
  ListBuckets: 'ListAllMyBucketsResult',
  CreateMultipartUpload: 'InitiateMultipartUploadResult',
  CompleteMultipartUpload: 'CompleteMultipartUploadResult',
  DeleteObjects: 'DeleteResult',
};

function encodeS3Result(call: WireCall, output: unknown, ctx: { requestId: string }): WireResponse {
  const result = (output ?? {}) as Record<string, unknown>;
  const headers: Record<string, string> = { 'x-amz-request-id': ctx.requestId };
  const xml = (document: Record<string, unknown>): WireResponse => ({
    status: 200,
    headers: { ...headers, 'content-type': 'application/xml' },
    body: buildXml(document),
  });
  switch (call.operation) {
    case 'GetObject':
    case 'HeadObject':
      return objectResponse(result as unknown as ObjectOutput, headers);
    case 'PutObject':
    case 'UploadPart':
      return { status: 200, headers: { ...headers, etag: String(result.ETag) } };
    case 'CreateBucket':
      return { status: 200, headers: { ...headers, location: String(result.Location) } };
    case 'HeadBucket':
      return { status: 200, headers };
    case 'DeleteObject':
    case 'DeleteBucket':
    case 'AbortMultipartUpload':
      return { status: 204, headers };
    case 'CopyObject':
      return xml({
        CopyObjectResult: { '@_xmlns': S3_NAMESPACE, ...(xmlValue(result.CopyObjectResult) as object) },
      });
    case 'GetBucketLocation':
      return xml({
        LocationConstraint: { '@_xmlns': S3_NAMESPACE, '#text': result.LocationConstraint ?? '' },
      });
    case 'ListBuckets': {
      const { Buckets, ...rest } = result;
      const buckets = xmlValue(Buckets ?? []) as unknown[];
      const list = buckets.length > 0 ? { Bucket: buckets } : '';
      return xml({
        ListAllMyBucketsResult: { '@_xmlns': S3_NAMESPACE, ...(xmlValue(rest) as object), Buckets: list },
      });
    }
    default:
      return xml({
        [XML_RESULTS[call.operation] ?? `${call.operation}Result`]: {
          '@_xmlns': S3_NAMESPACE,
          ...(xmlValue(result) as object),
        },
      });
  }
}

function objectResponse(result: ObjectOutput, base: Record<string, string>): WireResponse {
  const headers: Record<string, string> = {
    ...base,
    'accept-ranges': 'bytes',
    'content-length': String(result.ContentLength),
    'content-type': result.ContentType ?? 'binary/octet-stream',
    etag: result.ETag,
    'last-modified': result.LastModified.toUTCString(),
  };
  if (result.ContentRange) headers['content-range'] = result.ContentRange;
  for (const [name, value] of Object.entries(result.Metadata)) headers[`x-amz-meta-${name}`] = value;
  const status = result.ContentRange ? 206 : 200;
  return result.Body ? { status, headers, body: result.Body } : { status, headers };
}
