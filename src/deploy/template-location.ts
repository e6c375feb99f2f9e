import { createHash } from 'node:crypto';

import type { S3Client } from '@aws-sdk/client-s3';

import { putS3Object } from '../aws/s3-objects';
import { MAX_INLINE_TEMPLATE_BYTES, type TemplateFile } from './template';

export interface TemplateLocationOptions {
  readonly template: TemplateFile;
  readonly stackName: string;
  /** Required for templates over 51,200 bytes. */
  readonly bucket?: string;
  readonly region: string;
  /** S3 endpoint override (the local AWS): TemplateURL then points there, path-style. */
  readonly s3Endpoint?: string;
  readonly s3: () => Promise<S3Client>;
}

/**
 * Where CloudFormation reads the template from: inline when it fits (51,200 bytes), else uploaded to the
 * template bucket under a content-addressed key and passed as TemplateURL.
 */
export async function templateLocation(
  options: TemplateLocationOptions,
): Promise<{ body: string } | { url: string }> {
  const { template } = options;
  if (template.sizeBytes <= MAX_INLINE_TEMPLATE_BYTES) return { body: template.body };
  if (!options.bucket) {
    throw new Error(
      `template ${template.path} is ${template.sizeBytes} bytes; CloudFormation takes at most ${MAX_INLINE_TEMPLATE_BYTES} inline — set template-bucket to upload it to S3`,
    );
  }
  const digest = createHash('sha256').update(template.body).digest('hex').slice(0, 32);
  const key = `mlops-templates/${options.stackName}/${digest}.template`;
  await putS3Object(await options.s3(), {
    bucket: options.bucket,
    key,
    body: template.body,
    contentType: 'application/json',
  });
  return { url: templateUrl(options.bucket, key, options.region, options.s3Endpoint) };
}

export function templateUrl(bucket: string, key: string, region: string, s3Endpoint?: string): string {
  if (s3Endpoint) return `${s3Endpoint.replace(/\/+$/, '')}/${bucket}/${key}`;
  return `https://${bucket}.s3.${region}.amazonaws.com/${key}`;
}
