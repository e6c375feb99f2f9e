import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

import type { InfraConfig } from './config';

/**
 * The physical names of the foundation's shared resources, derived from the project name and the deploy
 * account and region. The other stacks address those resources by these names instead of CloudFormation
 * exports, so each stack deploys and updates on its own (and the policies stay identical whether nag
 * reads them before or after cross-stack references are resolved).
 */
export interface FoundationNames {
  /** Globally unique through account and region. */
  readonly artifactBucket: string;
  readonly sageMakerRole: string;
  readonly endpointDeploymentRole: string;
  readonly recordModelNameFunction: string;
}

export function foundationNames(config: Pick<InfraConfig, 'projectName'>): FoundationNames {
  return {
    artifactBucket: `${config.projectName}-artifacts-${Aws.ACCOUNT_ID}-${Aws.REGION}`,
    sageMakerRole: `${config.projectName}-sagemaker-execution`,
    endpointDeploymentRole: `${config.projectName}-endpoint-deployment`,
    recordModelNameFunction: `${config.projectName}-record-model-name`,
  };
}

export function roleArn(scope: IConstruct, roleName: string): string {
  return Stack.of(scope).formatArn({ service: 'iam', region: '', resource: 'role', resourceName: roleName });
}

export function functionArn(scope: IConstruct, functionName: string): string {
  return Stack.of(scope).formatArn({
    service: 'lambda',
    resource: 'function',
    resourceName: functionName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
