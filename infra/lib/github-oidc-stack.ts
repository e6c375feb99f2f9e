import { Aspects, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { OidcProviderNative, Role, WebIdentityPrincipal } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

import type { GitHubConfig, InfraConfig } from './config';
import { foundationNames, roleArn } from './names';
import { AcknowledgeDeclaredWildcards } from './nag/acknowledge-wildcards';
import { endpointStackOperatorStatements } from './permissions/endpoint-stack-operator';
import { pipelineOperatorStatements } from './permissions/pipeline-operator';

export interface GitHubOidcStackProps extends StackProps {
  readonly config: InfraConfig;
}

const GITHUB_ISSUER = 'token.actions.githubusercontent.com';

/**
 * Lets the repository's workflows act in the account without stored keys: the GitHub OIDC provider and a
 * role that only jobs of OWNER/REPO on the main branch or in the listed environments can assume, with
 * exactly what the workflows call (docs/cdk.md lists it).
 */
export class GitHubOidcStack extends Stack {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: GitHubOidcStackProps) {
    super(scope, id, {
      description: 'MLOps template: GitHub Actions OIDC provider and deploy role',
      ...props,
    });
    const { config } = props;
    const names = foundationNames(config);
    const providerArn =
      config.github.oidcProviderArn ||
      new OidcProviderNative(this, 'GitHubProvider', {
        url: `https://${GITHUB_ISSUER}`,
        clientIds: ['sts.amazonaws.com'],
      }).oidcProviderArn;
    this.role = new Role(this, 'DeployRole', {
      assumedBy: new WebIdentityPrincipal(providerArn, {
        StringEquals: {
          [`${GITHUB_ISSUER}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_ISSUER}:sub`]: trustedSubjects(config.github),
        },
      }),
      description: `GitHub Actions of ${config.github.owner}/${config.github.repo}: run the pipeline, deploy endpoints`,
      // Long pipeline executions are waited on in one job; the default one-hour session would end first.
      maxSessionDuration: Duration.hours(4),
    });
    const sageMakerRole = { roleArn: roleArn(this, names.sageMakerRole) };
    const statements = [
      ...pipelineOperatorStatements({
        scope: this,
        pipelineName: config.sagemakerPipelineName,
        modelPackageGroupName: config.modelPackageGroupName,
        modelNameParameter: config.modelNameParameter,
        bucket: Bucket.fromBucketName(this, 'ArtifactBucket', names.artifactBucket),
        sageMakerRole,
      }),
      ...endpointStackOperatorStatements({
        scope: this,
        endpointStackPrefix: config.endpointStackPrefix,
        endpointNamePrefix: config.endpointNamePrefix,
        deploymentRole: { roleArn: roleArn(this, names.endpointDeploymentRole) },
      }),
    ];
    statements.forEach((statement) => this.role.addToPolicy(statement));
    Aspects.of(this).add(new AcknowledgeDeclaredWildcards());
    new CfnOutput(this, 'DeployRoleArn', {
      value: this.role.roleArn,
      description: 'vars.AWS_ROLE_ARN for the workflows',
    });
  }
}

/** `sub` claims GitHub issues: `repo:O/R:ref:refs/heads/<branch>` and `repo:O/R:environment:<name>`. */
export function trustedSubjects(github: GitHubConfig): string[] {
  const repo = `repo:${github.owner}/${github.repo}`;
  return [
    `${repo}:ref:refs/heads/${github.branch}`,
    ...github.environments.map((name) => `${repo}:environment:${name}`),
  ];
}
