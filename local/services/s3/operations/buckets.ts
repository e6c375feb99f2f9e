import type {
  BucketLocationConstraint,
  CreateBucketOutput,
  CreateBucketRequest,
  DeleteBucketRequest,
  GetBucketLocationOutput,
  GetBucketLocationRequest,
  HeadBucketOutput,
  HeadBucketRequest,
  ListBucketsOutput,
  ListBucketsRequest,
} from '@aws-sdk/client-s3';

import { AwsError } from '../../../core/errors';
import { operation } from '../../../core/operations';
import type { Validated } from '../../../core/validated';
import type { OperationHandler } from '../../../core/service';
import type { ObjectStore } from '../object-store';

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation. */
export function bucketOperations(objects: ObjectStore): Record<string, OperationHandler> {
  return {
    ListBuckets: operation<Validated<ListBucketsRequest>, ListBucketsOutput>(() => ({
      Buckets: objects
        .listBuckets()
        .map((bucket) => ({ Name: bucket.name, CreationDate: new Date(bucket.creationDate) })),
      Owner: { ID: 'local', DisplayName: 'local' },
    })),

    CreateBucket: operation<Validated<CreateBucketRequest>, CreateBucketOutput>(({ Bucket }, ctx) => {
      // Outside us-east-1 S3 refuses to re-create a bucket you own; us-east-1 answers 200.
      if (objects.bucketExists(Bucket) && ctx.region !== 'us-east-1') {
        throw new AwsError(
          'BucketAlreadyOwnedByYou',
          'Your previous request to create the named bucket succeeded and you already own it.',
          { status: 409, fields: { BucketName: Bucket } },
        );
      }
      objects.createBucket(Bucket);
      return { Location: `/${Bucket}` };
    }),

    HeadBucket: operation<Validated<HeadBucketRequest>, HeadBucketOutput>(({ Bucket }, ctx) => {
      objects.requireBucket(Bucket);
      return { BucketRegion: ctx.region };
    }),

    DeleteBucket: operation<Validated<DeleteBucketRequest>, Record<string, never>>(({ Bucket }) => {
      objects.deleteBucket(Bucket);
      return {};
    }),

    GetBucketLocation: operation<Validated<GetBucketLocationRequest>, GetBucketLocationOutput>(
      ({ Bucket }, ctx) => {
        objects.requireBucket(Bucket);
        // us-east-1 answers an empty LocationConstraint (clients read it as us-east-1).
        return ctx.region === 'us-east-1'
          ? {}
          : { LocationConstraint: ctx.region as BucketLocationConstraint };
      },
    ),
  };
}
