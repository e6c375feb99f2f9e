import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The bucket for data, pipeline assets and outputs, CodePipeline artifacts, templates and endpoint data
 * capture: encrypted (SSE-S3, which SageMaker, CodeBuild and CodePipeline read without key grants), TLS
 * only, no public access, versioned, with server access logs in a second bucket.
 */
export interface ArtifactBucketProps {
  readonly bucketName: string;
}

export class ArtifactBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: ArtifactBucketProps) {
    super(scope, id);
    const common = {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...common,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would loop',
    });
    this.bucket = new Bucket(this, 'Bucket', {
      ...common,
      bucketName: props.bucketName,
      versioned: true,
      // The cast only bridges aws-cdk-lib's declarations, which predate exactOptionalPropertyTypes.
      serverAccessLogsBucket: this.accessLogs as IBucket,
      serverAccessLogsPrefix: 'artifact-bucket/',
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(30) },
        { id: 'expire-data-capture', prefix: 'data-capture/', expiration: Duration.days(90) },
      ],
    });
  }
}
