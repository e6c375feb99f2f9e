import type { ServiceProvider } from '../../core/service';
import type { StateStore } from '../../state/store';
import { MultipartUploads } from './multipart';
import type { ObjectStore } from './object-store';
import { bucketOperations } from './operations/buckets';
import { listingOperations } from './operations/listing';
import { multipartOperations } from './operations/multipart';
import { objectOperations } from './operations/objects';

/** The local S3: path-style buckets and objects stored under the state dir, spoken from its model. */
export function createS3Provider(store: StateStore, objects: ObjectStore): ServiceProvider {
  const uploads = new MultipartUploads(store, objects);
  return {
    name: 's3',
    model: 's3',
    operations: {
      ...bucketOperations(objects),
      ...objectOperations(objects),
      ...listingOperations(objects),
      ...multipartOperations(objects, uploads),
    },
  };
}
