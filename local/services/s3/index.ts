import type { ServiceProvider } from '../../core/service';
import type { StateStore } from '../../state/store';
import { MultipartUploads } from './multipart';
import type { ObjectStore } from './object-store';
import { s3Operations } from './operations';

/** The local S3: path-style buckets and objects stored under the state dir. */
export function createS3Provider(store: StateStore, objects: ObjectStore): ServiceProvider {
  return { name: 's3', operations: s3Operations(objects, new MultipartUploads(store, objects)) };
}
