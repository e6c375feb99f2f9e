import * as fs from 'node:fs';

import { s3ObjectExists } from '../aws/s3-objects';
import {
  assetObject,
  resolveAssetPath,
  staleAssets,
  type AssetEntry,
  type AssetsManifest,
} from '../../pipeline/assets';
import type { Reporter } from '../report/reporter';
import type { PipelineClients } from './clients';

export interface AssetUploadResult {
  readonly uploaded: readonly AssetEntry[];
  /** Already in S3 (content-addressed keys: same key, same bytes), so not uploaded again. */
  readonly present: readonly AssetEntry[];
}

/**
 * Uploads every asset of a manifest that is missing from S3. Keys are content-addressed, so an object
 * that exists already holds these bytes. Files changed since synth are refused: the definition would
 * point at content that does not match.
 */
export async function uploadMissingAssets(
  clients: PipelineClients,
  options: { manifest: AssetsManifest; root: string },
  reporter: Reporter,
): Promise<AssetUploadResult> {
  const stale = staleAssets(options.manifest, options.root);
  if (stale.length > 0)
    throw new Error(`assets changed since the manifest was written:\n${stale.join('\n')}`);
  if (options.manifest.assets.length === 0) return { uploaded: [], present: [] };
  const s3 = await clients.s3();
  const checks = await Promise.all(
    options.manifest.assets.map(async (asset) => {
      const { bucket, key } = assetObject(asset);
      return { asset, exists: await s3ObjectExists(s3, bucket, key) };
    }),
  );
  const missing = checks.filter((check) => !check.exists).map((check) => check.asset);
  if (missing.length > 0) {
    const { Upload } = await import('@aws-sdk/lib-storage');
    for (const asset of missing) {
      const { bucket, key } = assetObject(asset);
      // lib-storage buffers each part before sending, so a retried request resends the same bytes.
      await new Upload({
        client: s3,
        params: {
          Bucket: bucket,
          Key: key,
          Body: fs.createReadStream(resolveAssetPath(asset, options.root)),
        },
      }).done();
      reporter.info(`Uploaded ${asset.path} → ${asset.s3Uri}`);
    }
  }
  const present = checks.filter((check) => check.exists).map((check) => check.asset);
  if (present.length > 0) reporter.info(`${present.length} asset(s) already in S3, not uploaded again`);
  return { uploaded: missing, present };
}
