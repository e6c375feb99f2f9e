import { Aspects, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { OidcProviderNative, Role, WebIdentityPrincipal } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

import { PRODUCTION_STAGE } from './codepipeline-stack';
import type { GitHubConfig, InfraConfig } from './config';
import { foundationNames, roleArn } from './names';
import { AcknowledgeDeclaredWildcards } from './nag/acknowledge-wildcards';
import { endpointStackOperatorStatements } from './permissions/endpoint-stack-operator';
import { pipelineOperatorStatements } from './permissions/pipeline-operator';

export interface GitHubOidcStackProps extends StackProps {
  readonly config: InfraConfig;
}

const GITHUB_ISSUER = 'token.actions.githubusercontent.com';

/** The GitHub environment (and endpoint stage) whose jobs alone may assume the production deploy role. */
export const PRODUCTION_ENVIRONMENT = PRODUCTION_STAGE;

/**
 * Lets the repository's workflows act in the account without stored keys: the GitHub OIDC provider and
 * two roles with exactly what the workflows call (docs/cdk.md lists it):
 * - the deploy role, for jobs of OWNER/REPO on the main branch or in the listed environments (staging):
 *   runs the pipeline and deploys the stages of those environments;
 * - the production deploy role, only for jobs in the `production` environment: deploys the production
 *   stack and nothing else. The deploy role cannot touch that stack.
 */
export class GitHubOidcStack extends Stack {
  readonly role: Role;
  readonly productionRole: Role;

  constructor(scope: Construct, id: string, props: GitHubOidcStackProps) {
    super(scope, id, {
      description: 'MLOps template: GitHub Actions OIDC provider and deploy roles',
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
    const endpointStacks = (stages: readonly string[]) =>
      endpointStackOperatorStatements({
        scope: this,
        endpointStackPrefix: config.endpointStackPrefix,
        endpointNamePrefix: config.endpointNamePrefix,
        stages,
        deploymentRole: { roleArn: roleArn(this, names.endpointDeploymentRole) },
      });
    this.role = new Role(this, 'DeployRole', {
      assumedBy: githubPrincipal(providerArn, trustedSubjects(config.github)),
      description: `GitHub Actions of ${config.github.owner}/${config.github.repo}: run the pipeline, deploy ${config.github.environments.join(', ')}`,
      // Long pipeline executions are waited on in one job; the default one-hour session would end first.
      maxSessionDuration: Duration.hours(4),
    });
    const sageMakerRole = { roleArn: roleArn(this, names.sageMakerRole) };
    [
      ...pipelineOperatorStatements({
        scope: this,
        pipelineName: config.sagemakerPipelineName,
        modelPackageGroupName: config.modelPackageGroupName,
        modelNameParameter: config.modelNameParameter,
        bucket: Bucket.fromBucketName(this, 'ArtifactBucket', names.artifactBucket),
        sageMakerRole,
      }),
      ...endpointStacks(config.github.environments),
    ].forEach((statement) => this.role.addToPolicy(statement));
    this.productionRole = new Role(this, 'ProductionDeployRole', {
      assumedBy: githubPrincipal(providerArn, [productionSubject(config.github)]),
      description: `GitHub Actions of ${config.github.owner}/${config.github.repo}, environment ${PRODUCTION_ENVIRONMENT}: deploy the ${PRODUCTION_ENVIRONMENT} endpoint stack`,
    });
    endpointStacks([PRODUCTION_ENVIRONMENT]).forEach((statement) =>
      this.productionRole.addToPolicy(statement),
    );
    Aspects.of(this).add(new AcknowledgeDeclaredWildcards());
    new CfnOutput(this, 'DeployRoleArn', {
      value: this.role.roleArn,
      description: 'vars.AWS_ROLE_ARN for the workflows (training and staging)',
    });
    new CfnOutput(this, 'ProductionDeployRoleArn', {
      value: this.productionRole.roleArn,
      description: 'vars.AWS_PRODUCTION_ROLE_ARN for the workflows (the production environment only)',
    });
  }
}

/** Web identities GitHub's OIDC provider vouches for, for AWS STS (`aud`), with one of these `sub` claims. */
function githubPrincipal(providerArn: string, subjects: readonly string[]): WebIdentityPrincipal {
  return new WebIdentityPrincipal(providerArn, {
    StringEquals: {
      [`${GITHUB_ISSUER}:aud`]: 'sts.amazonaws.com',
      [`${GITHUB_ISSUER}:sub`]: subjects.length === 1 ? subjects[0] : [...subjects],
    },
  });
}

/** `sub` claims GitHub issues: `repo:O/R:ref:refs/heads/<branch>` and `repo:O/R:environment:<name>`. */
export function trustedSubjects(github: GitHubConfig): string[] {
  const repo = `repo:${github.owner}/${github.repo}`;
  return [
    `${repo}:ref:refs/heads/${github.branch}`,
    ...github.environments.map((name) => `${repo}:environment:${name}`),
  ];
}

/** The one `sub` claim the production role trusts: a job of OWNER/REPO in the production environment. */
export function productionSubject(github: GitHubConfig): string {
  return `repo:${github.owner}/${github.repo}:environment:${PRODUCTION_ENVIRONMENT}`;
}
