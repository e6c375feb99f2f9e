import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

import { loadModel } from '../../../local/protocols/model/shapes';
import { restXmlProtocol } from '../../../local/protocols/rest-xml';
import type { WireRequest } from '../../../local/protocols/wire';
import { parseXmlDocument } from '../../../local/protocols/xml';
import { wireRequest } from './wire-request';

const protocol = restXmlProtocol(loadModel('s3'));
const ctx = { region: 'us-east-1', accountId: '000000000000', requestId: 'req-1' };

/** A request as the server hands it over: the raw target stays on the stream (`req.url`), unnormalized. */
function request(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body = '',
): WireRequest {
  const stream = Object.assign(Readable.from([Buffer.from(body)]), { url: target, headers });
  return {
    ...wireRequest(method, target, headers, body),
    stream: stream as unknown as IncomingMessage,
    bodyStream: () => stream,
  };
}

describe('restXml: the S3 operation from method, path, query and required bindings', () => {
  it.each([
    ['GET', '/', {}, 'ListBuckets'],
    ['PUT', '/b', {}, 'CreateBucket'],
    ['GET', '/b?list-type=2&prefix=a', {}, 'ListObjectsV2'],
    ['GET', '/b?prefix=a', {}, 'ListObjects'],
    ['GET', '/b?location', {}, 'GetBucketLocation'],
    ['PUT', '/b/k?x-id=PutObject', {}, 'PutObject'],
    ['PUT', '/b/k', { 'x-amz-copy-source': '/b/src' }, 'CopyObject'],
    ['POST', '/b/k?uploads', {}, 'CreateMultipartUpload'],
    ['PUT', '/b/k?partNumber=2&uploadId=u', {}, 'UploadPart'],
    ['GET', '/b/k?uploadId=u', {}, 'ListParts'],
    ['DELETE', '/b/k?uploadId=u', {}, 'AbortMultipartUpload'],
    ['GET', '/b/k?response-content-type=text%2Fplain', {}, 'GetObject'],
    ['HEAD', '/b/dir/', {}, 'HeadObject'],
  ])('%s %s', async (method, target, headers, operation) => {
    expect((await protocol.decode(request(method, target, headers))).operation).toBe(operation);
  });

  it('names a sub-resource it does not implement instead of treating it as another operation', async () => {
    await expect(protocol.decode(request('GET', '/b?tagging'))).rejects.toMatchObject({
      code: 'NotImplemented',
      status: 501,
      message: 'the local AWS does not implement S3 operation GET /b?tagging',
    });
    await expect(protocol.decode(request('PUT', '/b/k?object-lock'))).rejects.toMatchObject({
      code: 'NotImplemented',
    });
  });
});

describe('restXml: inputs from the model', () => {
  it('takes keys literally: dot segments and encoded dots are keys, never resolved', async () => {
    const key = async (target: string) => (await protocol.decode(request('GET', target))).input;
    expect(await key('/b/x/../../y')).toMatchObject({ Bucket: 'b', Key: 'x/../../y' });
    expect(await key('/b/sub/..')).toMatchObject({ Bucket: 'b', Key: 'sub/..' });
    expect(await key('/b/%2e%2e')).toMatchObject({ Bucket: 'b', Key: '..' });
    expect(await key('/b/a%20b%2Bc.txt')).toMatchObject({ Key: 'a b+c.txt' });
    const hosted = await protocol.decode(request('GET', '/dir/k', { host: 'my-bucket.localhost:4566' }));
    expect(hosted.input).toMatchObject({ Bucket: 'my-bucket', Key: 'dir/k' });
  });

  it('types headers and query members and gathers x-amz-meta-* into Metadata', async () => {
    const { input } = await protocol.decode(
      request('GET', '/b/k?response-expires=Wed%2C%2021%20Oct%202015%2007%3A28%3A00%20GMT', {
        'if-modified-since': 'Wed, 21 Oct 2015 07:28:00 GMT',
        'if-none-match': '"abc"',
      }),
    );
    expect(input).toMatchObject({
      IfNoneMatch: '"abc"',
      IfModifiedSince: new Date('2015-10-21T07:28:00Z'),
      ResponseExpires: new Date('2015-10-21T07:28:00Z'),
    });
    const put = await protocol.decode(
      request('PUT', '/b/k', { 'x-amz-meta-owner': 'me', 'cache-control': 'no-cache', 'content-md5': 'x' }),
    );
    expect(put.input).toMatchObject({ Metadata: { owner: 'me' }, CacheControl: 'no-cache', ContentMD5: 'x' });
    expect(put.input.Body).toBeInstanceOf(Readable);
  });

  it('reads an XML payload by its shape and refuses malformed or truncated XML as a whole', async () => {
    const xml =
      '<Delete><Object><Key> a </Key></Object><Object><Key>007</Key></Object><Quiet>true</Quiet></Delete>';
    const { input } = await protocol.decode(request('POST', '/b?delete', {}, xml));
    expect(input.Delete).toEqual({ Objects: [{ Key: ' a ' }, { Key: '007' }], Quiet: true });
    for (const broken of [
      '<Delete><Object><Key>a</Key></Object>',
      '',
      '<Remove/>',
      '<Delete><Quiet>maybe</Quiet></Delete>',
    ]) {
      await expect(protocol.decode(request('POST', '/b?delete', {}, broken))).rejects.toMatchObject({
        code: 'MalformedXML',
        status: 400,
      });
    }
  });

  it('refuses a value off the model with InvalidArgument naming the argument as sent, as S3 does', async () => {
    await expect(
      protocol.decode(request('PUT', '/b/k?x-id=PutObject', { 'x-amz-storage-class': 'COLD' })),
    ).rejects.toMatchObject({
      code: 'InvalidArgument',
      status: 400,
      fields: { ArgumentName: 'x-amz-storage-class', ArgumentValue: 'COLD' },
    });
    await expect(protocol.decode(request('GET', '/b?list-type=2&encoding-type=x'))).rejects.toMatchObject({
      code: 'InvalidArgument',
      fields: { ArgumentName: 'encoding-type', ArgumentValue: 'x' },
    });
  });
});

describe('restXml: answers from the model', () => {
  it('puts header members in headers and body members in XML, with flattened lists', () => {
    const response = protocol.encode(
      { operation: 'ListObjectsV2', input: {} },
      {
        Name: 'b',
        IsTruncated: false,
        KeyCount: 1,
        Contents: [{ Key: 'k', Size: 3, LastModified: new Date('2024-01-01T00:00:00Z') }],
        CommonPrefixes: [],
      },
      ctx,
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/xml');
    expect(parseXmlDocument(String(response.body), 'ListObjectsV2Result')).toEqual({
      IsTruncated: ['false'],
      Contents: [{ Key: ['k'], LastModified: ['2024-01-01T00:00:00.000Z'], Size: ['3'] }],
      Name: ['b'],
      KeyCount: ['1'],
    });
    const head = protocol.encode(
      { operation: 'HeadObject', input: {} },
      { ContentLength: 3, ETag: '"e"', LastModified: new Date('2024-01-01T00:00:00Z'), Metadata: { a: 'b' } },
      ctx,
    );
    expect(head).toEqual({
      status: 200,
      headers: {
        'content-length': '3',
        etag: '"e"',
        'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT',
        'x-amz-meta-a': 'b',
      },
    });
    expect(protocol.encode({ operation: 'DeleteObject', input: {} }, {}, ctx).status).toBe(204);
    // A lone scalar is the document itself, as clients read GetBucketLocation.
    const location = protocol.encode(
      { operation: 'GetBucketLocation', input: {} },
      { LocationConstraint: 'eu-west-1' },
      ctx,
    );
    expect(String(location.body)).toContain(
      '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>',
    );
  });

  it('answers errors as <Error> XML, without a body for HEAD and 304', async () => {
    const { AwsError } = await import('../../../local/core/errors');
    const missing = new AwsError('NoSuchKey', 'The specified key does not exist.', {
      status: 404,
      fields: { Key: 'k' },
    });
    const get = protocol.encodeError(missing, ctx, { operation: 'GetObject', input: {} });
    expect(get.status).toBe(404);
    expect(parseXmlDocument(String(get.body), 'Error')).toEqual({
      Code: ['NoSuchKey'],
      Message: ['The specified key does not exist.'],
      Key: ['k'],
      RequestId: ['req-1'],
    });
    expect(protocol.encodeError(missing, ctx, { operation: 'HeadObject', input: {} }).body).toBeUndefined();
    const notModified = new AwsError('NotModified', 'Not Modified', { status: 304 });
    expect(
      protocol.encodeError(notModified, ctx, { operation: 'GetObject', input: {} }).body,
    ).toBeUndefined();
  });
});
