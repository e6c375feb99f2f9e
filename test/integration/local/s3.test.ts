import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

import { useLocalAws } from './harness';

const harness = useLocalAws();
const BUCKET = 'test-bucket';
let s3: S3Client;

beforeAll(async () => {
  s3 = harness.client(S3Client, { maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

async function text(key: string, range?: string): Promise<string> {
  const object = await s3.send(
    new GetObjectCommand({ Bucket: BUCKET, Key: key, ...(range ? { Range: range } : {}) }),
  );
  return object.Body!.transformToString();
}

describe('local S3 through the SDK v3 client', () => {
  it('round-trips an object with its metadata, ETag and content type', async () => {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'docs/hello.txt',
        Body: 'hello world',
        ContentType: 'text/plain',
        Metadata: { owner: 'mlops' },
      }),
    );
    expect(put.ETag).toBe(`"${createHash('md5').update('hello world').digest('hex')}"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'docs/hello.txt' }));
    expect(head).toMatchObject({
      ContentLength: 11,
      ContentType: 'text/plain',
      ETag: put.ETag,
      Metadata: { owner: 'mlops' },
    });
    expect(head.LastModified).toBeInstanceOf(Date);
    expect(await text('docs/hello.txt')).toBe('hello world');
  });

  it('serves byte ranges with 206 and Content-Range', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'range.txt', Body: '0123456789' }));
    const partial = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'range.txt', Range: 'bytes=2-5' }),
    );
    expect(partial.$metadata.httpStatusCode).toBe(206);
    expect(partial.ContentRange).toBe('bytes 2-5/10');
    expect(await partial.Body!.transformToString()).toBe('2345');
    expect(await text('range.txt', 'bytes=7-')).toBe('789');
    expect(await text('range.txt', 'bytes=-3')).toBe('789');
    await expect(text('range.txt', 'bytes=20-30')).rejects.toMatchObject({
      name: 'InvalidRange',
      $metadata: { httpStatusCode: 416 },
    });
  });

  it('accepts a streamed body (aws-chunked with a trailing checksum)', async () => {
    const body = Readable.from([Buffer.from('first part, '), Buffer.from('second part')]);
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'streamed.txt', Body: body, ContentLength: 23 }),
    );
    expect(await text('streamed.txt')).toBe('first part, second part');
  });

  it('uploads a >5 MB body in parts with lib-storage and reads it back intact', async () => {
    const body = randomBytes(11 * 1024 * 1024 + 123);
    const upload = new Upload({
      client: s3,
      params: { Bucket: BUCKET, Key: 'big/blob.bin', Body: body },
      partSize: 5 * 1024 * 1024,
    });
    const result = await upload.done();
    expect(result.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big/blob.bin' }));
    const read = Buffer.from(await object.Body!.transformToByteArray());
    expect(read.length).toBe(body.length);
    expect(read.equals(body)).toBe(true);
  }, 20_000);

  it('pages ListObjectsV2 with a delimiter, prefixes and continuation tokens', async () => {
    const keys = [
      'list/a.txt',
      'list/b.txt',
      'list/c/1.txt',
      'list/c/2.txt',
      'list/d.txt',
      'list/e/1.txt',
      'list/f.txt',
    ];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
    const pages = [];
    for await (const page of paginateListObjectsV2(
      { client: s3, pageSize: 2 },
      { Bucket: BUCKET, Prefix: 'list/', Delimiter: '/' },
    )) {
      pages.push({
        keys: (page.Contents ?? []).map((o) => o.Key),
        prefixes: (page.CommonPrefixes ?? []).map((p) => p.Prefix),
      });
    }
    expect(pages).toEqual([
      { keys: ['list/a.txt', 'list/b.txt'], prefixes: [] },
      { keys: ['list/d.txt'], prefixes: ['list/c/'] },
      { keys: ['list/f.txt'], prefixes: ['list/e/'] },
    ]);
    const after = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/', StartAfter: 'list/c/1.txt' }),
    );
    expect(after.Contents?.map((o) => o.Key)).toEqual([
      'list/c/2.txt',
      'list/d.txt',
      'list/e/1.txt',
      'list/f.txt',
    ]);
    expect(after.KeyCount).toBe(4);
  });

  it('copies, deletes one and deletes many', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'copy/src.txt', Body: 'copied', Metadata: { a: '1' } }),
    );
    const copy = await s3.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy/dst.txt', CopySource: `${BUCKET}/copy/src.txt` }),
    );
    expect(copy.CopyObjectResult?.ETag).toBe(`"${createHash('md5').update('copied').digest('hex')}"`);
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'copy/dst.txt' }))).Metadata).toEqual({
      a: '1',
    });
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'copy/src.txt' }));
    const deleted = await s3.send(
      new DeleteObjectsCommand({
        Bucket: BUCKET,
        Delete: { Objects: [{ Key: 'copy/dst.txt' }, { Key: 'copy/never.txt' }] },
      }),
    );
    expect(deleted.Deleted?.map((d) => d.Key)).toEqual(['copy/dst.txt', 'copy/never.txt']);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'copy/' }));
    expect(left.KeyCount).toBe(0);
  });

  it('answers missing buckets and keys with the typed S3 errors', async () => {
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing' }))).rejects.toBeInstanceOf(
      NoSuchKey,
    );
    await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing' }))).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' }))).rejects.toBeInstanceOf(
      NoSuchBucket,
    );
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' }))).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(s3.send(new DeleteBucketCommand({ Bucket: BUCKET }))).rejects.toMatchObject({
      name: 'BucketNotEmpty',
    });
  });

  it('creates, lists and deletes buckets', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'short-lived' }));
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toEqual(expect.arrayContaining([BUCKET, 'short-lived']));
    await s3.send(new DeleteBucketCommand({ Bucket: 'short-lived' }));
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'short-lived' }))).rejects.toBeInstanceOf(NotFound);
  });

  it('lists buckets by name in byte order, in pages of MaxBuckets, filtered by Prefix', async () => {
    for (const name of ['page-b.x', 'page-b-x', 'page-a'])
      await s3.send(new CreateBucketCommand({ Bucket: name }));
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListBucketsCommand({
          Prefix: 'page-',
          MaxBuckets: 1,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      names.push(...(page.Buckets ?? []).map((bucket) => bucket.Name!));
      expect(page.Buckets).toHaveLength(1);
      token = page.ContinuationToken;
    } while (token);
    expect(names).toEqual(['page-a', 'page-b-x', 'page-b.x']);
    for (const name of names) await s3.send(new DeleteBucketCommand({ Bucket: name }));
  });

  it('names an unimplemented S3 operation in a NotImplemented error', async () => {
    const { GetBucketTaggingCommand } = await import('@aws-sdk/client-s3');
    const error = await s3.send(new GetBucketTaggingCommand({ Bucket: BUCKET })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3ServiceException);
    expect(error).toMatchObject({
      name: 'NotImplemented',
      message: expect.stringContaining('GET /test-bucket/?tagging'),
    });
  });

  it('gives in-process callers the same objects (deps.s3)', async () => {
    const { s3: objects } = harness.aws().deps;
    await objects.putObject({ bucket: BUCKET, key: 'deps/in-process.json', body: '{"ok":true}' });
    expect(await text('deps/in-process.json')).toBe('{"ok":true}');
    expect(objects.headObject({ bucket: BUCKET, key: 'docs/hello.txt' }).size).toBe(11);
    expect(objects.listAll(BUCKET, 'list/c/').map((o) => o.key)).toEqual(['list/c/1.txt', 'list/c/2.txt']);
  });
});
