import type { Role } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';

/**
 * The parts of a bucket and a role the policies use. Structural, because aws-cdk-lib's IBucket and IRole
 * declarations do not accept their own classes under exactOptionalPropertyTypes.
 */
export type BucketRef = Pick<Bucket, 'bucketArn' | 'bucketName' | 'arnForObjects'>;
export type RoleRef = Pick<Role, 'roleArn'>;
