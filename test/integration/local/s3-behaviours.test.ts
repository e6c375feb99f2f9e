import { execFile } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { findPython } from '../../../local/runtimes/python';
import { useLocalAws } from './harness';

const harness = useLocalAws();

/** One raw HTTP request (for what SDKs will not send), resolving with status and body. */
function raw(
  method: string,
  target: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  const url = new URL(target, harness.aws().endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('S3 as AWS answers it (boto3, raw HTTP)', () => {
  it('keys are literal, representation headers kept, Content-MD5 verified, conditional requests and response-* honoured', async () => {
    const script = path.join(__dirname, 'fixtures', 'boto3_s3_behaviours.py');
    const run = await promisify(execFile)(findPython(), [script, harness.aws().endpoint], {
      timeout: 25_000,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      buckets: ['literal'],
      keys: ['sub/keep', 'x/../../y'],
      dots: 'dots',
      get_dotdot: ['NoSuchKey', 404],
      stored: {
        ContentType: 'text/html',
        CacheControl: 'max-age=60',
        ContentDisposition: 'attachment; filename="page.html"',
        ContentLanguage: 'en',
        ContentEncoding: 'identity',
      },
      expires: 'Tue, 01 Jan 2030 00:00:00 GMT',
      overridden: ['text/plain', 'no-store', 'inline'],
      md5_good: 'ok',
      md5_bad: ['BadDigest', 400],
      md5_bad_stored: ['404', 404],
      if_none_match: ['304', 304],
      if_match_other: ['PreconditionFailed', 412],
      if_match_same: 'ok',
      if_modified_since_later: ['304', 304],
      if_unmodified_since_earlier: ['412', 412],
      if_modified_since_earlier: 'ok',
    });
  }, 30_000);

  it('a truncated DeleteObjects body is MalformedXML and deletes nothing', async () => {
    await raw('PUT', '/xml-bucket', {}, '');
    await raw('PUT', '/xml-bucket/keep', {}, 'kept');
    const truncated = '<Delete><Object><Key>keep</Key></Object>';
    const answer = await raw('POST', '/xml-bucket?delete', { 'content-type': 'application/xml' }, truncated);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>MalformedXML</Code>');
    expect((await raw('GET', '/xml-bucket/keep', {}, '')).body).toBe('kept');
  });

  it('a broken or truncated aws-chunked body is answered with an S3 error and the server keeps serving', async () => {
    const chunked = {
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    };
    // Issue 14: this request used to end the process with an unhandled 'error' event.
    const noBucket = await raw('PUT', '/no-such-bucket/k', chunked, '5\r\nhello\r\n');
    expect(noBucket.status).toBe(404);
    await raw('PUT', '/chunks', {}, '');
    const truncated = await raw('PUT', '/chunks/k', chunked, '5\r\nhello\r\n');
    expect(truncated.status).toBe(400);
    expect(truncated.body).toContain('<Code>IncompleteBody</Code>');
    const garbage = await raw('PUT', '/chunks/k', chunked, 'zz\r\nhello\r\n0\r\n\r\n');
    expect(garbage.body).toContain('<Code>IncompleteBody</Code>');
    expect((await raw('GET', '/chunks/k', {}, '')).status).toBe(404);
    const whole = await raw('PUT', '/chunks/k', chunked, '5\r\nhello\r\n0\r\n\r\n');
    expect(whole.status).toBe(200);
    expect((await raw('GET', '/chunks/k', {}, '')).body).toBe('hello');
  });
});
