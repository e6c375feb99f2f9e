import { Aspects, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnModelPackageGroup } from 'aws-cdk-lib/aws-sagemaker';
import type { Construct } from 'constructs';

import type { InfraConfig } from './config';
import { ArtifactBucket } from './foundation/artifact-bucket';
import { RecordModelNameFunction } from './foundation/record-model-name-function';
import { SageMakerExecutionRole } from './foundation/sagemaker-execution-role';
import { foundationNames } from './names';
import { AcknowledgeDeclaredWildcards } from './nag/acknowledge-wildcards';
import { endpointResourceStatements } from './permissions/endpoint-resources';

export interface FoundationStackProps extends StackProps {
  readonly config: InfraConfig;
}

/**
 * What every path (GitHub workflows, CodePipeline, runs against AWS) shares: the artifact bucket, the
 * SageMaker execution role, the model package group, the record-model-name Lambda and the role
 * CloudFormation deploys endpoint stacks with. Named after foundationNames(), which the other stacks use.
 */
export class FoundationStack extends Stack {
  constructor(scope: Construct, id: string, props: FoundationStackProps) {
    super(scope, id, {
      description: 'MLOps template: artifact bucket, SageMaker role, model registry, Lambda',
      ...props,
    });
    const { config } = props;
    const names = foundationNames(config);
    const bucket = new ArtifactBucket(this, 'Artifacts', { bucketName: names.artifactBucket }).bucket;
    const recordModelName = new RecordModelNameFunction(this, 'RecordModelName', {
      functionName: names.recordModelNameFunction,
      parameterName: config.modelNameParameter,
    }).function;
    const sageMakerRole = new SageMakerExecutionRole(this, 'SageMakerExecution', {
      roleName: names.sageMakerRole,
      bucket,
      modelPackageGroupName: config.modelPackageGroupName,
      recordModelNameFunctionArn: recordModelName.functionArn,
    }).role;
    new CfnModelPackageGroup(this, 'ModelPackageGroup', {
      modelPackageGroupName: config.modelPackageGroupName,
      modelPackageGroupDescription: 'Models registered by the MLOps template pipeline',
    });
    const endpointDeploymentRole = new Role(this, 'EndpointDeploymentRole', {
      roleName: names.endpointDeploymentRole,
      assumedBy: new ServicePrincipal('cloudformation.amazonaws.com'),
      description: 'CloudFormation service role for the cdk-model-deploy endpoint stacks',
    });
    endpointResourceStatements({
      scope: this,
      endpointNamePrefix: config.endpointNamePrefix,
      modelPackageGroupName: config.modelPackageGroupName,
      modelNameParameter: config.modelNameParameter,
      sageMakerRole,
    }).forEach((statement) => endpointDeploymentRole.addToPolicy(statement));
    Aspects.of(this).add(new AcknowledgeDeclaredWildcards());

    const outputs: Record<string, { value: string; description: string }> = {
      ArtifactBucketName: {
        value: bucket.bucketName,
        description: 'Bucket for data, assets, outputs and templates',
      },
      SageMakerRoleArn: {
        value: sageMakerRole.roleArn,
        description: 'Pipeline role-arn (upsert-sagemaker-pipeline)',
      },
      RecordModelNameFunctionArn: {
        value: recordModelName.functionArn,
        description: 'Lambda ARN for the pipeline definition',
      },
      ModelPackageGroupName: { value: config.modelPackageGroupName, description: 'Model registry group' },
      ModelNameParameterName: {
        value: config.modelNameParameter,
        description: 'SSM parameter the Lambda writes',
      },
      EndpointDeploymentRoleArn: {
        value: endpointDeploymentRole.roleArn,
        description: 'cfn-role-arn for deploy-endpoint',
      },
    };
    for (const [name, output] of Object.entries(outputs)) new CfnOutput(this, name, output);
  }
}
