import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ObjectStore } from '../../../local/services/s3/object-store';
import { parseRange } from '../../../local/services/s3/operations/objects';
import { StateStore } from '../../../local/state/store';

let root: string;
let objects: ObjectStore;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'object-store-'));
  objects = new ObjectStore(new StateStore(root));
  objects.createBucket('unit-bucket');
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

async function put(...keys: string[]): Promise<void> {
  for (const key of keys) await objects.putObject({ bucket: 'unit-bucket', key, body: key });
}

function listAll(options: { prefix?: string; delimiter?: string; maxKeys: number }) {
  const pages: { keys: string[]; prefixes: string[] }[] = [];
  let startAfter: string | undefined;
  for (;;) {
    const page = objects.listObjects({
      bucket: 'unit-bucket',
      ...options,
      ...(startAfter ? { startAfter } : {}),
    });
    pages.push({ keys: page.objects.map((o) => o.key), prefixes: [...page.commonPrefixes] });
    if (!page.isTruncated) return pages;
    startAfter = page.lastKey;
  }
}

describe('ObjectStore listing', () => {
  it('sorts keys in UTF-8 byte order, as S3 does', async () => {
    await put('b', 'a', 'é', 'Z', 'a/b');
    expect(objects.listAll('unit-bucket').map((o) => o.key)).toEqual(['Z', 'a', 'a/b', 'b', 'é']);
  });

  it('never repeats a common prefix across pages, whatever the page size', async () => {
    await put('p/a', 'p/b/1', 'p/b/2', 'p/b/3', 'p/c', 'p/d/1', 'q');
    for (const maxKeys of [1, 2, 3, 10]) {
      const pages = listAll({ prefix: 'p/', delimiter: '/', maxKeys });
      expect(pages.flatMap((page) => page.keys)).toEqual(['p/a', 'p/c']);
      expect(pages.flatMap((page) => page.prefixes)).toEqual(['p/b/', 'p/d/']);
      expect(pages.every((page) => page.keys.length + page.prefixes.length <= maxKeys)).toBe(true);
    }
  });

  it('lists after a StartAfter key that sorts before the prefix', async () => {
    await put('a', 'm/1', 'm/2', 'z');
    const page = objects.listObjects({ bucket: 'unit-bucket', prefix: 'm/', startAfter: 'b' });
    expect(page.objects.map((o) => o.key)).toEqual(['m/1', 'm/2']);
  });
});

describe('ObjectStore bodies', () => {
  it('replaces a body on overwrite and removes the old blob file', async () => {
    await objects.putObject({ bucket: 'unit-bucket', key: 'k', body: 'one' });
    const first = objects.localPath({ bucket: 'unit-bucket', key: 'k' });
    await objects.putObject({ bucket: 'unit-bucket', key: 'k', body: 'two' });
    expect(fs.existsSync(first)).toBe(false);
    expect((await objects.getObject({ bucket: 'unit-bucket', key: 'k' })).toString()).toBe('two');
  });

  it('copies files in and out', async () => {
    const source = path.join(root, 'source.txt');
    fs.writeFileSync(source, 'from a file');
    await objects.putObject({ bucket: 'unit-bucket', key: 'f', file: source });
    const target = path.join(root, 'nested', 'out.txt');
    await objects.downloadTo({ bucket: 'unit-bucket', key: 'f', file: target });
    expect(fs.readFileSync(target, 'utf8')).toBe('from a file');
  });

  it('names the bucket or key that is missing', async () => {
    await expect(objects.getObject({ bucket: 'unit-bucket', key: 'none' })).rejects.toMatchObject({
      code: 'NoSuchKey',
      message: expect.stringContaining('s3://unit-bucket/none'),
    });
    expect(() => objects.headObject({ bucket: 'other-bucket', key: 'k' })).toThrow(
      'The specified bucket does not exist: other-bucket',
    );
    expect(() => objects.createBucket('Bad_Name')).toThrow('bucket name "Bad_Name" is invalid');
  });

  it('clears temporary files a crash left behind', () => {
    const orphan = path.join(root, 's3', 'tmp', 'half-written');
    fs.writeFileSync(orphan, 'partial');
    new ObjectStore(new StateStore(root));
    expect(fs.existsSync(orphan)).toBe(false);
  });
});

describe('parseRange', () => {
  it.each([
    ['bytes=0-3', { start: 0, end: 3 }],
    ['bytes=5-', { start: 5, end: 9 }],
    ['bytes=-4', { start: 6, end: 9 }],
    ['bytes=8-100', { start: 8, end: 9 }],
    ['bytes=0-1,4-5', undefined],
  ])('%s of 10 bytes', (header, expected) => {
    expect(parseRange(header, 10)).toEqual(expected);
  });

  it('refuses a range past the end with InvalidRange', () => {
    expect(() => parseRange('bytes=10-', 10)).toThrow('The requested range is not satisfiable');
  });
});
