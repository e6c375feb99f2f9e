import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { AWS_CLIS, type AwsCli, runAwsCli } from './aws-cli';
import { tempStateDir, useLocalAws } from './harness';

const harness = useLocalAws();
const work = tempStateDir();
/** Over the CLIs' 8 MB multipart threshold: uploaded in parts, downloaded in ranges. */
const BIG = randomBytes(9 * 1024 * 1024);
const TRANSFERS = new Set(['cp', 'sync']);

beforeAll(() => {
  fs.mkdirSync(path.join(work, 'tree', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(work, 'big.bin'), BIG);
  fs.writeFileSync(path.join(work, 'tree', 'a.txt'), 'a');
  fs.writeFileSync(path.join(work, 'tree', 'sub', 'b.txt'), 'b');
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** mb → cp up (multipart) → cp down → sync → sync again (nothing to do) → ls → rm --recursive → ls. */
async function s3Cycle(cli: AwsCli, bucket: string) {
  // Progress lines only for the transfer commands (`mb` and `ls` do not take the flag).
  const aws = (...args: string[]) =>
    runAwsCli(
      cli,
      harness.aws().endpoint,
      ['s3', ...args, ...(TRANSFERS.has(args[0]!) ? ['--no-progress'] : [])],
      {
        cwd: work,
      },
    );
  const made = await aws('mb', `s3://${bucket}`);
  const up = await aws('cp', 'big.bin', `s3://${bucket}/big.bin`);
  const down = await aws('cp', `s3://${bucket}/big.bin`, `${bucket}.bin`);
  const copied = path.join(work, `${bucket}.bin`);
  const roundTrip = fs.existsSync(copied) && fs.readFileSync(copied).equals(BIG);
  const synced = await aws('sync', 'tree', `s3://${bucket}/tree`);
  const again = await aws('sync', 'tree', `s3://${bucket}/tree`);
  const listed = await aws('ls', '--recursive', `s3://${bucket}`);
  const removed = await aws('rm', '--recursive', `s3://${bucket}/tree`);
  const after = await aws('ls', '--recursive', `s3://${bucket}`);
  const etag = await runAwsCli(cli, harness.aws().endpoint, [
    's3api',
    'head-object',
    '--bucket',
    bucket,
    '--key',
    'big.bin',
    '--query',
    'ETag',
    '--output',
    'text',
  ]);
  return { made, up, down, roundTrip, synced, again, listed, removed, after, etag };
}

const keys = (listing: string) =>
  listing
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).slice(3).join(' '))
    .sort();

describe('aws s3 high-level commands with both AWS CLIs', () => {
  test('cp (multipart up, ranged down), sync, ls and rm, v1 and v2 side by side', async () => {
    const results = await Promise.all(AWS_CLIS.map((cli, index) => s3Cycle(cli, `cli-s3-${index + 1}`)));
    for (const [index, result] of results.entries()) {
      const which = AWS_CLIS[index]!.name;
      const failures = Object.entries(result)
        .filter(([, step]) => typeof step === 'object' && step.code !== 0)
        .map(([name, step]) => `${name}: ${(step as { stderr: string }).stderr}`);
      expect({ which, failures }).toEqual({ which, failures: [] });
      expect(result.roundTrip).toBe(true);
      expect(result.synced.stdout.match(/^upload: /gm)).toHaveLength(2);
      expect(result.again.stdout).toBe('');
      expect(keys(result.listed.stdout)).toEqual(['big.bin', 'tree/a.txt', 'tree/sub/b.txt']);
      expect(result.removed.stdout.match(/^delete: /gm)).toHaveLength(2);
      expect(keys(result.after.stdout)).toEqual(['big.bin']);
      // Uploaded in two parts: S3's multipart ETag is the MD5 of the part MD5s, then "-<parts>".
      expect(result.etag.stdout.trim()).toMatch(/^"[0-9a-f]{32}-2"$/);
    }
  }, 240_000);
});
