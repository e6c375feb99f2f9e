import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ObjectStoreApi } from '../core/deps';
import { JobFailure } from './job-runtime';

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

export function parseS3Uri(uri: string, field: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new JobFailure('ClientError', `${field} must be an s3:// URI; got '${uri}'`);
  return { bucket: match[1] ?? '', key: match[2] ?? '' };
}

/**
 * Copies an S3Prefix input into a folder as SageMaker does: a URI naming one object gives that file; a
 * prefix gives every object under it, at its path relative to the prefix.
 */
export async function downloadS3Prefix(
  objects: ObjectStoreApi,
  uri: string,
  folder: string,
  field: string,
): Promise<number> {
  const { bucket, key } = parseS3Uri(uri, field);
  if (!objects.bucketExists(bucket)) {
    throw new JobFailure('ClientError', `${field} ${uri}: bucket ${bucket} does not exist`);
  }
  const all = objects.listAll(bucket, key);
  const exact = all.find((object) => object.key === key);
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  const files = exact
    ? [{ key, relative: path.posix.basename(key) }]
    : all
        .filter((object) => object.key.startsWith(prefix) && !object.key.endsWith('/'))
        .map((object) => ({ key: object.key, relative: object.key.slice(prefix.length) }));
  if (files.length === 0)
    throw new JobFailure('ClientError', `No S3 objects found under S3 URL "${uri}" (${field})`);
  fs.mkdirSync(folder, { recursive: true });
  const staged = files.map((file) => ({
    key: file.key,
    target: stagedPath({ folder, ...file, uri, field }),
  }));
  await Promise.all(staged.map((file) => objects.downloadTo({ bucket, key: file.key, file: file.target })));
  return files.length;
}

interface Staging {
  readonly folder: string;
  readonly key: string;
  /** The key's path below the input's prefix. */
  readonly relative: string;
  readonly uri: string;
  readonly field: string;
}

/**
 * Where an object lands in a job folder, refusing a key that would land outside it: a `.` or `..` segment
 * (no file in a container can bear such a name, so SageMaker's containers could not see it either) or a
 * folder on the way that is a symlink leading out.
 */
function stagedPath({ folder, key, relative, uri, field }: Staging): string {
  const segments = relative.split('/').filter((segment) => segment !== '');
  const refuse = (why: string) =>
    new JobFailure(
      'ClientError',
      `${field} ${uri}: S3 key "${key}" ${why}; it cannot be staged inside the job's folder. ` +
        'Rename the object or narrow the S3Uri',
    );
  if (segments.some((segment) => segment === '.' || segment === '..'))
    throw refuse('has a "." or ".." path segment');
  if (segments.length === 0) throw refuse('names no file below the prefix');
  const target = path.join(folder, ...segments);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const root = fs.realpathSync(folder);
  const real = fs.realpathSync(parent);
  if (real !== root && !real.startsWith(`${root}${path.sep}`))
    throw refuse('leads through a symlink out of it');
  if (fs.lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink())
    throw refuse('would be written through a symlink');
  return target;
}

/** Uploads every file under a folder to `<uri>/<relative path>`. */
export async function uploadFolder(
  objects: ObjectStoreApi,
  folder: string,
  uri: string,
  field: string,
): Promise<number> {
  const { bucket, key } = parseS3Uri(uri, field);
  if (!objects.bucketExists(bucket)) {
    throw new JobFailure('ClientError', `${field} ${uri}: bucket ${bucket} does not exist`);
  }
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  const files = listFiles(folder);
  await Promise.all(
    files.map((file) =>
      objects.putObject({
        bucket,
        key: `${prefix}${file.split(path.sep).join('/')}`,
        file: path.join(folder, file),
      }),
    ),
  );
  return files.length;
}

/** Uploads one file to an exact S3 URI. */
export async function uploadFile(
  objects: ObjectStoreApi,
  file: string,
  uri: string,
  field: string,
): Promise<void> {
  const { bucket, key } = parseS3Uri(uri, field);
  if (!objects.bucketExists(bucket)) {
    throw new JobFailure('ClientError', `${field} ${uri}: bucket ${bucket} does not exist`);
  }
  await objects.putObject({ bucket, key, file });
}

/** Relative paths of the regular files under a folder (none when it does not exist). */
export function listFiles(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return (fs.readdirSync(folder, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)));
}
