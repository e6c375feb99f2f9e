import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Local files a definition needs in S3 (scripts, the input data), content-addressed like CDK assets:
 * `s3://<bucket>/<prefix>/assets/<sha256>/<file name>`. Changing one byte of a file changes its URI, so
 * a new definition never reads an old file and uploads are idempotent.
 */
export interface AssetEntry {
  /** The file, relative to the repository root (absolute when it lies outside). */
  readonly path: string;
  readonly sha256: string;
  /** Where the definition expects it. */
  readonly s3Uri: string;
}

export interface AssetsManifest {
  readonly version: 1;
  readonly assets: readonly AssetEntry[];
}

export interface AssetLocation {
  readonly bucket: string;
  /** Key prefix without leading or trailing slashes; may be empty. */
  readonly prefix: string;
}

const SHA256 = /^[0-9a-f]{64}$/;
const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;

export function sha256Of(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

export function assetS3Uri(location: AssetLocation, sha256: string, fileName: string): string {
  const keyPrefix = [trimSlashes(location.prefix), 'assets', sha256].filter(Boolean).join('/');
  return `s3://${location.bucket}/${keyPrefix}/${fileName}`;
}

/** The manifest entry of a local file: its hash and content-addressed S3 URI. */
export function fileAsset(
  file: string,
  options: { readonly root: string; readonly location: AssetLocation },
): AssetEntry {
  const absolute = path.resolve(options.root, file);
  const sha256 = sha256Of(readFileSync(absolute));
  const relative = path.relative(options.root, absolute);
  const inside = !relative.startsWith('..') && !path.isAbsolute(relative);
  return {
    path: inside ? relative.split(path.sep).join('/') : absolute,
    sha256,
    s3Uri: assetS3Uri(options.location, sha256, path.basename(absolute)),
  };
}

/** `build/pipeline.json` → `build/pipeline.assets.json`: the manifest sits beside its definition. */
export function assetsManifestPath(definitionFile: string): string {
  const parsed = path.parse(definitionFile);
  const base = parsed.ext === '.json' ? parsed.name : parsed.base;
  return path.join(parsed.dir, `${base}.assets.json`);
}

export function resolveAssetPath(entry: AssetEntry, root: string): string {
  return path.resolve(root, entry.path);
}

/** The bucket and key of an asset's S3 URI. */
export function assetObject(entry: AssetEntry): { readonly bucket: string; readonly key: string } {
  const [, bucket = '', key = ''] = S3_URI.exec(entry.s3Uri) ?? [];
  return { bucket, key };
}

export class AssetsManifestError extends Error {}

/** Reads and checks a manifest file written by `mlops pipeline synth`. */
export function readAssetsManifest(file: string): AssetsManifest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AssetsManifestError(
      `cannot read assets manifest ${file}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return parseAssetsManifest(json, file);
}

/** Checks a manifest's shape; the error names the source, the member and what was expected. */
export function parseAssetsManifest(json: unknown, source: string): AssetsManifest {
  const fail = (where: string, expected: string): never => {
    throw new AssetsManifestError(`assets manifest ${source}: ${where} ${expected}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return fail('$', 'must be a JSON object');
  const { version, assets } = json as Record<string, unknown>;
  if (version !== 1) fail('$.version', `must be 1, found ${JSON.stringify(version)}`);
  if (!Array.isArray(assets)) return fail('$.assets', 'must be an array');
  const entries = assets.map((entry: unknown, index): AssetEntry => {
    const where = `$.assets[${index}]`;
    if (typeof entry !== 'object' || entry === null)
      return fail(where, 'must be an object {path, sha256, s3Uri}');
    const { path: file, sha256, s3Uri } = entry as Record<string, unknown>;
    if (typeof file !== 'string' || file === '') fail(`${where}.path`, 'must be a non-empty file path');
    if (typeof sha256 !== 'string' || !SHA256.test(sha256))
      fail(`${where}.sha256`, 'must be 64 lowercase hex digits');
    if (typeof s3Uri !== 'string' || !S3_URI.test(s3Uri) || !s3Uri.includes(`/${String(sha256)}/`)) {
      fail(
        `${where}.s3Uri`,
        `must be an s3:// URI containing the file's sha256, found ${JSON.stringify(s3Uri)}`,
      );
    }
    return { path: file as string, sha256: sha256 as string, s3Uri: s3Uri as string };
  });
  return { version: 1, assets: entries };
}

/** Files that changed since the manifest was written (their upload would not match the definition). */
export function staleAssets(manifest: AssetsManifest, root: string): string[] {
  return manifest.assets.flatMap((entry) => {
    const file = resolveAssetPath(entry, root);
    let actual: string;
    try {
      actual = sha256Of(readFileSync(file));
    } catch {
      return [`${entry.path}: file not found at ${file}`];
    }
    return actual === entry.sha256
      ? []
      : [`${entry.path}: sha256 is ${actual}, the manifest says ${entry.sha256}; run synth again`];
  });
}

function trimSlashes(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, '');
}
