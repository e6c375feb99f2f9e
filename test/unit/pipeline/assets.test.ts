import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import {
  assetObject,
  assetS3Uri,
  assetsManifestPath,
  AssetsManifestError,
  fileAsset,
  parseAssetsManifest,
  readAssetsManifest,
  sha256Of,
  staleAssets,
} from '../../../pipeline/assets';

const SHA = 'a'.repeat(64);

describe('assets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlops-assets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('addresses a file by its content', () => {
    writeFileSync(path.join(dir, 'script.py'), 'print(1)\n');
    const entry = fileAsset('script.py', { root: dir, location: { bucket: 'b', prefix: '/team/pipe/' } });
    expect(entry).toEqual({
      path: 'script.py',
      sha256: sha256Of('print(1)\n'),
      s3Uri: `s3://b/team/pipe/assets/${sha256Of('print(1)\n')}/script.py`,
    });
    expect(assetObject(entry)).toEqual({ bucket: 'b', key: `team/pipe/assets/${entry.sha256}/script.py` });
    expect(assetS3Uri({ bucket: 'b', prefix: '' }, SHA, 'x.csv')).toBe(`s3://b/assets/${SHA}/x.csv`);
    expect(
      fileAsset(path.join(dir, 'script.py'), {
        root: path.join(dir, 'sub'),
        location: { bucket: 'b', prefix: 'p' },
      }).path,
    ).toBe(path.join(dir, 'script.py'));
  });

  it('names the manifest after the definition', () => {
    expect(assetsManifestPath('build/pipeline.json')).toBe('build/pipeline.assets.json');
    expect(assetsManifestPath('out/definition')).toBe('out/definition.assets.json');
  });

  it('reads a manifest and names what is wrong with a bad one', () => {
    const file = path.join(dir, 'pipeline.assets.json');
    const good = {
      version: 1,
      assets: [{ path: 'data/abalone.csv', sha256: SHA, s3Uri: `s3://b/p/assets/${SHA}/abalone.csv` }],
    };
    writeFileSync(file, JSON.stringify(good));
    expect(readAssetsManifest(file)).toEqual(good);

    expect(() => parseAssetsManifest({ version: 2, assets: [] }, 'm.json')).toThrow(
      'assets manifest m.json: $.version must be 1, found 2',
    );
    expect(() =>
      parseAssetsManifest({ version: 1, assets: [{ ...good.assets[0], sha256: 'xyz' }] }, 'm.json'),
    ).toThrow('assets manifest m.json: $.assets[0].sha256 must be 64 lowercase hex digits');
    expect(() =>
      parseAssetsManifest({ version: 1, assets: [{ ...good.assets[0], s3Uri: 'https://b/x' }] }, 'm.json'),
    ).toThrow(`$.assets[0].s3Uri must be an s3:// URI containing the file's sha256, found "https://b/x"`);
    writeFileSync(file, '{ not json');
    expect(() => readAssetsManifest(file)).toThrow(AssetsManifestError);
    expect(() => readAssetsManifest(file)).toThrow(`cannot read assets manifest ${file}`);
  });

  it('finds files that changed since the manifest was written', () => {
    writeFileSync(path.join(dir, 'a.py'), 'a');
    const location = { bucket: 'b', prefix: 'p' };
    const manifest = {
      version: 1 as const,
      assets: [
        fileAsset('a.py', { root: dir, location }),
        { path: 'gone.py', sha256: SHA, s3Uri: `s3://b/p/assets/${SHA}/gone.py` },
      ],
    };
    expect(staleAssets(manifest, dir)).toEqual([`gone.py: file not found at ${path.join(dir, 'gone.py')}`]);
    writeFileSync(path.join(dir, 'a.py'), 'b');
    expect(staleAssets(manifest, dir)[0]).toBe(
      `a.py: sha256 is ${sha256Of('b')}, the manifest says ${sha256Of('a')}; run synth again`,
    );
  });
});
