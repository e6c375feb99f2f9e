import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

import { logGroupArn, sageMakerArn } from '../permissions/arns';
import { passRoleStatement, scopedStatement, unscopedStatement } from '../permissions/statements';
import { SageMakerContainerImages } from './container-images';
import type { BucketRef } from '../permissions/refs';

export interface SageMakerExecutionRoleProps {
  readonly roleName: string;
  readonly bucket: BucketRef;
  readonly modelPackageGroupName: string;
  /** The record-model-name Lambda the pipeline's last step invokes. */
  readonly recordModelNameFunctionArn: string;
}

/**
 * The role SageMaker assumes, both as the pipeline's role (it starts the jobs, registers the model,
 * invokes the Lambda) and as the jobs' and models' role (pull the two images, read and write the artifact
 * bucket, write /aws/sagemaker/* logs and metrics).
 */
export class SageMakerExecutionRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: SageMakerExecutionRoleProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'SageMaker pipeline, job and model role of the MLOps template',
    });
    const images = new SageMakerContainerImages(this, 'Images');
    const statements = [
      scopedStatement({
        sid: 'ArtifactBucketList',
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [props.bucket.bucketArn],
      }),
      scopedStatement({
        sid: 'ArtifactObjects',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [props.bucket.arnForObjects('*')],
        wildcard:
          'jobs read inputs and write outputs under keys chosen per execution, all inside the artifact bucket',
      }),
      scopedStatement({
        sid: 'PullSageMakerImages',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: [...images.repositoryArns],
      }),
      unscopedStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'] }),
      scopedStatement({
        sid: 'SageMakerLogs',
        actions: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'logs:DescribeLogStreams',
        ],
        resources: [logGroupArn(this, '/aws/sagemaker/*')],
        wildcard: 'SageMaker names a log group per job type and a stream per job under /aws/sagemaker/',
      }),
      unscopedStatement({
        sid: 'SageMakerMetrics',
        actions: ['cloudwatch:PutMetricData'],
        conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
      }),
      scopedStatement({
        sid: 'PipelineJobs',
        actions: [
          'sagemaker:CreateProcessingJob',
          'sagemaker:DescribeProcessingJob',
          'sagemaker:StopProcessingJob',
          'sagemaker:CreateTrainingJob',
          'sagemaker:DescribeTrainingJob',
          'sagemaker:StopTrainingJob',
          'sagemaker:CreateModel',
          'sagemaker:DescribeModel',
          'sagemaker:AddTags',
        ],
        resources: [
          sageMakerArn(this, 'processing-job', '*'),
          sageMakerArn(this, 'training-job', '*'),
          sageMakerArn(this, 'model', '*'),
        ],
        wildcard: 'the pipeline generates job and model names per execution',
      }),
      scopedStatement({
        sid: 'RegisterModel',
        actions: ['sagemaker:CreateModelPackage', 'sagemaker:DescribeModelPackage', 'sagemaker:AddTags'],
        resources: [
          sageMakerArn(this, 'model-package-group', props.modelPackageGroupName),
          sageMakerArn(this, 'model-package', `${props.modelPackageGroupName}/*`),
        ],
        wildcard: 'each registration is a new version of the one model package group',
      }),
      scopedStatement({
        sid: 'RecordModelName',
        actions: ['lambda:InvokeFunction'],
        resources: [props.recordModelNameFunctionArn],
      }),
    ];
    statements.forEach((statement) => this.role.addToPolicy(statement));
    // The pipeline passes this role to the jobs and models it creates.
    this.role.addToPolicy(
      passRoleStatement({
        sid: 'PassSelfToSageMaker',
        roleArn: this.role.roleArn,
        toService: 'sagemaker.amazonaws.com',
      }),
    );
  }
}
