import { AwsError } from '../../core/errors';
import type { Blob, ObjectStore } from './object-store';

/**
 * Checks a written body against the request's Content-MD5 (base64 of the 16-byte digest), as S3 does
 * before storing anything: a digest that is not one is InvalidDigest, a mismatch BadDigest. On failure the
 * blob is discarded, so nothing of the upload remains.
 */
export function checkContentMd5(objects: ObjectStore, blob: Blob, contentMd5: string | undefined): void {
  if (contentMd5 === undefined) return;
  const digest = Buffer.from(contentMd5, 'base64');
  const failure =
    digest.length !== 16 || digest.toString('base64') !== contentMd5.trim()
      ? new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', {
          fields: { 'Content-MD5': contentMd5 },
        })
      : digest.toString('hex') !== blob.md5
        ? new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', {
            fields: {
              ExpectedDigest: contentMd5,
              CalculatedDigest: Buffer.from(blob.md5, 'hex').toString('base64'),
            },
          })
        : undefined;
  if (!failure) return;
  objects.discardBlob(blob.blob);
  throw failure;
}
