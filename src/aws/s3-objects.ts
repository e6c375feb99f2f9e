import type { S3Client } from '@aws-sdk/client-s3';

/** `s3://bucket/key` → parts; throws naming the URI when it is not one. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match?.[1] || !match[2]) throw new Error(`expected an S3 URI like s3://bucket/key; got "${uri}"`);
  return { bucket: match[1], key: match[2] };
}

// The S3 module loads on first use: callers that never touch S3 do not pay for it at start.
const s3Module = () => import('@aws-sdk/client-s3');

export async function readS3Text(s3: S3Client, uri: string): Promise<string> {
  const { GetObjectCommand } = await s3Module();
  const { bucket, key } = parseS3Uri(uri);
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await object.Body?.transformToString()) ?? '';
}

/** True when the object exists; false on 404 (other errors propagate). */
export async function s3ObjectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  const { HeadObjectCommand } = await s3Module();
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (
      status === 404 ||
      (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey'))
    )
      return false;
    throw error;
  }
}

export async function putS3Object(
  s3: S3Client,
  options: { bucket: string; key: string; body: Buffer | string; contentType?: string },
): Promise<void> {
  const { PutObjectCommand } = await s3Module();
  await s3.send(
    new PutObjectCommand({
      Bucket: options.bucket,
      Key: options.key,
      Body: options.body,
      ...(options.contentType ? { ContentType: options.contentType } : {}),
    }),
  );
}
