import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { downloadS3Prefix } from '../../../local/runtimes/s3-staging';
import { ObjectStore } from '../../../local/services/s3/object-store';
import { StateStore } from '../../../local/state/store';

let root: string;
let objects: ObjectStore;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 's3-staging-'));
  objects = new ObjectStore(new StateStore(path.join(root, 'state')));
  objects.createBucket('bkt');
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('staging S3 inputs into a job folder', () => {
  it('places every object at its path below the prefix', async () => {
    await objects.putObject({ bucket: 'bkt', key: 'in/a.csv', body: 'a' });
    await objects.putObject({ bucket: 'bkt', key: 'in/sub/b.csv', body: 'bkt' });
    const folder = path.join(root, 'job', 'input');
    expect(await downloadS3Prefix(objects, 's3://bkt/in', folder, 'input')).toBe(2);
    expect(fs.readFileSync(path.join(folder, 'sub', 'b.csv'), 'utf8')).toBe('bkt');
  });

  it.each(['in/../../x.csv', 'in/./x.csv', 'in/sub/..'])('refuses the key %s, naming it', async (key) => {
    await objects.putObject({ bucket: 'bkt', key, body: 'x' });
    await expect(downloadS3Prefix(objects, 's3://bkt/in/', path.join(root, 'job'), 'input')).rejects.toThrow(
      `input s3://bkt/in/: S3 key "${key}" has a "." or ".." path segment`,
    );
  });

  it('refuses a URI naming one object called ".."', async () => {
    await objects.putObject({ bucket: 'bkt', key: 'in/..', body: 'x' });
    await expect(
      downloadS3Prefix(objects, 's3://bkt/in/..', path.join(root, 'job'), 'input'),
    ).rejects.toThrow(/S3 key "in\/\.\." has a "\." or "\.\." path segment/);
  });

  it('refuses to write through a symlinked folder that leads out of the job folder', async () => {
    const folder = path.join(root, 'job');
    fs.mkdirSync(folder);
    fs.mkdirSync(path.join(root, 'elsewhere'));
    fs.symlinkSync(path.join(root, 'elsewhere'), path.join(folder, 'link'));
    await objects.putObject({ bucket: 'bkt', key: 'in/link/x.csv', body: 'x' });
    await expect(downloadS3Prefix(objects, 's3://bkt/in/', folder, 'input')).rejects.toThrow(
      /S3 key "in\/link\/x\.csv" leads through a symlink out of it/,
    );
    expect(fs.readdirSync(path.join(root, 'elsewhere'))).toEqual([]);
  });
});
