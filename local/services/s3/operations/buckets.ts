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
import { optional } from '../../../core/optional';
import type { ObjectStore } from '../object-store';
import { decodeToken, encodeToken } from './listing';

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation. */
export function bucketOperations(objects: ObjectStore): Record<string, OperationHandler> {
  return {
    ListBuckets: operation<Validated<ListBucketsRequest>, ListBucketsOutput>((input, ctx) => {
      // Every bucket is in the local AWS's region; pages of MaxBuckets after the token's bucket, by name.
      const after = input.ContinuationToken !== undefined ? decodeToken(input.ContinuationToken) : '';
      const matching = objects
        .listBuckets()
        .filter((bucket) => bucket.name.startsWith(input.Prefix ?? '') && bucket.name > after)
        .filter(() => input.BucketRegion === undefined || input.BucketRegion === ctx.region);
      const page = matching.slice(0, input.MaxBuckets ?? matching.length);
      const last = page.at(-1);
      return {
        Buckets: page.map((bucket) => ({
          Name: bucket.name,
          CreationDate: new Date(bucket.creationDate),
          BucketRegion: ctx.region,
        })),
        Owner: { ID: 'local', DisplayName: 'local' },
        ...optional('Prefix', input.Prefix),
        ...(page.length < matching.length && last ? { ContinuationToken: encodeToken(last.name) } : {}),
      };
    }),

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
