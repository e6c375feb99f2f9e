import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

import { sageMakerArn, ssmParameterArn } from './arns';
import { passRoleStatement, scopedStatement, unscopedStatement } from './statements';
import type { BucketRef, RoleRef } from './refs';

export interface PipelineOperatorScope {
  readonly scope: IConstruct;
  readonly pipelineName: string;
  readonly modelPackageGroupName: string;
  /** The SSM parameter the pipeline's Lambda writes (read back by the run and by endpoint deploys). */
  readonly modelNameParameter: string;
  readonly bucket: BucketRef;
  /** The pipeline's role, passed to SageMaker on create/update. */
  readonly sageMakerRole: RoleRef;
}

/**
 * What runs the pipeline from outside (the upsert-sagemaker-pipeline and wait-for-execution actions, the
 * approved-model lookup, `mlops run --target aws`): upload assets, create or update the one pipeline,
 * start, follow and stop its executions, read job details, the model registry and the recorded model name.
 */
export function pipelineOperatorStatements(s: PipelineOperatorScope): PolicyStatement[] {
  const pipeline = sageMakerArn(s.scope, 'pipeline', s.pipelineName);
  return [
    scopedStatement({
      sid: 'UpsertAndRunPipeline',
      actions: [
        'sagemaker:CreatePipeline',
        'sagemaker:UpdatePipeline',
        'sagemaker:DescribePipeline',
        'sagemaker:DescribePipelineDefinitionForExecution',
        'sagemaker:StartPipelineExecution',
        'sagemaker:StopPipelineExecution',
        'sagemaker:DescribePipelineExecution',
        'sagemaker:ListPipelineExecutions',
        'sagemaker:ListPipelineExecutionSteps',
        'sagemaker:ListPipelineParametersForExecution',
        'sagemaker:AddTags',
        'sagemaker:ListTags',
      ],
      resources: [pipeline, `${pipeline}/execution/*`],
      wildcard: 'executions of the one pipeline get ids chosen by SageMaker',
    }),
    scopedStatement({
      sid: 'ReadPipelineJobs',
      actions: ['sagemaker:DescribeProcessingJob', 'sagemaker:DescribeTrainingJob'],
      resources: [
        sageMakerArn(s.scope, 'processing-job', 'pipelines-*'),
        sageMakerArn(s.scope, 'training-job', 'pipelines-*'),
      ],
      wildcard: 'jobs a pipeline starts are named pipelines-<execution>-<step>-<hash>',
    }),
    scopedStatement({
      sid: 'ReadModelRegistry',
      actions: ['sagemaker:DescribeModelPackage', 'sagemaker:DescribeModelPackageGroup'],
      resources: [
        sageMakerArn(s.scope, 'model-package-group', s.modelPackageGroupName),
        sageMakerArn(s.scope, 'model-package', `${s.modelPackageGroupName}/*`),
      ],
      wildcard: 'every version of the one model package group',
    }),
    unscopedStatement({ sid: 'ListModelPackages', actions: ['sagemaker:ListModelPackages'] }),
    scopedStatement({
      sid: 'ReadModelNameParameter',
      actions: ['ssm:GetParameters', 'ssm:GetParameter'],
      resources: [ssmParameterArn(s.scope, s.modelNameParameter)],
    }),
    passRoleStatement({
      sid: 'PassPipelineRole',
      roleArn: s.sageMakerRole.roleArn,
      toService: 'sagemaker.amazonaws.com',
    }),
    ...artifactBucketStatements(s.bucket),
  ];
}

/** Assets, evaluation reports, smoke-test rows and large templates, all in the artifact bucket. */
export function artifactBucketStatements(bucket: BucketRef): PolicyStatement[] {
  return [
    // ListBucket makes a missing key a 404 instead of a 403, which the asset upload relies on.
    scopedStatement({
      sid: 'ListArtifactBucket',
      actions: ['s3:ListBucket', 's3:GetBucketLocation'],
      resources: [bucket.bucketArn],
    }),
    scopedStatement({
      sid: 'ReadWriteArtifacts',
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      wildcard:
        'asset keys are content hashes and output keys contain execution ids, all inside the artifact bucket',
    }),
  ];
}
