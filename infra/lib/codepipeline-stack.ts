import { Aspects, CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Artifact, Pipeline, PipelineType } from 'aws-cdk-lib/aws-codepipeline';
import {
  CloudFormationCreateUpdateStackAction,
  CodeBuildAction,
  CodeStarConnectionsSourceAction,
  ManualApprovalAction,
} from 'aws-cdk-lib/aws-codepipeline-actions';
import { Role } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

import { BuildProjects, ENDPOINT_TEMPLATE_FILE } from './codepipeline/build-projects';
import type { InfraConfig } from './config';
import { foundationNames, functionArn, roleArn } from './names';
import { AcknowledgeDeclaredWildcards, acknowledgeGeneratedWildcards } from './nag/acknowledge-wildcards';

export interface CodePipelineStackProps extends StackProps {
  readonly config: InfraConfig;
}

/** The stage that deploys to production; its stack is `<endpointStackPrefix>-production`. */
export const PRODUCTION_STAGE = 'production';

/**
 * The AWS-native path, stage for stage the original's: Source (GitHub through a CodeStar connection) →
 * BuildSageMakerModel (CodeBuild runs the SageMaker pipeline) → BuildCdk (synthesizes cdk-model-deploy)
 * → ManualApproval (e-mail through SNS) → DeploySageMakerEndpoint (CloudFormation, with the foundation's
 * endpoint deployment role). It uses the foundation's resources by name, so deploy MlopsFoundation first.
 */
export class CodePipelineStack extends Stack {
  readonly pipeline: Pipeline;

  constructor(scope: Construct, id: string, props: CodePipelineStackProps) {
    super(scope, id, {
      description: 'MLOps template: CodePipeline from GitHub to a SageMaker endpoint',
      ...props,
    });
    const { config } = props;
    const names = foundationNames(config);
    const bucket = Bucket.fromBucketName(this, 'ArtifactBucket', names.artifactBucket);
    const projects = new BuildProjects(this, 'Build', {
      config,
      bucket,
      sageMakerRole: { roleArn: roleArn(this, names.sageMakerRole) },
      recordModelNameFunctionArn: functionArn(this, names.recordModelNameFunction),
    });
    const source = new Artifact('Source');
    const endpointTemplate = new Artifact('EndpointTemplate');
    const approvals = new Topic(this, 'ApprovalTopic', {
      displayName: `${config.projectName} endpoint deployment approvals`,
      masterKey: Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    approvals.addSubscription(new EmailSubscription(config.approvalEmail));
    const endpointStackName = `${config.endpointStackPrefix}-${PRODUCTION_STAGE}`;

    this.pipeline = new Pipeline(this, 'Pipeline', {
      pipelineName: config.projectName,
      pipelineType: PipelineType.V2,
      artifactBucket: bucket,
      restartExecutionOnUpdate: false,
      stages: [
        {
          stageName: 'Source',
          actions: [
            new CodeStarConnectionsSourceAction({
              actionName: 'GitHub',
              connectionArn: config.codestarConnectionArn,
              owner: config.github.owner,
              repo: config.github.repo,
              branch: config.github.branch,
              output: source,
            }),
          ],
        },
        {
          stageName: 'BuildSageMakerModel',
          actions: [
            new CodeBuildAction({ actionName: 'RunPipeline', project: projects.buildModel, input: source }),
          ],
        },
        {
          stageName: 'BuildCdk',
          actions: [
            new CodeBuildAction({
              actionName: 'SynthesizeEndpoint',
              project: projects.buildEndpointTemplate,
              input: source,
              outputs: [endpointTemplate],
            }),
          ],
        },
        {
          stageName: 'ManualApproval',
          actions: [
            new ManualApprovalAction({
              actionName: 'ApproveDeployment',
              notificationTopic: approvals,
              additionalInformation: `Deploys the model recorded in ${config.modelNameParameter} to ${endpointStackName}.`,
            }),
          ],
        },
        {
          stageName: 'DeploySageMakerEndpoint',
          actions: [
            new CloudFormationCreateUpdateStackAction({
              actionName: 'DeployEndpoint',
              stackName: endpointStackName,
              templatePath: endpointTemplate.atPath(ENDPOINT_TEMPLATE_FILE),
              adminPermissions: false,
              deploymentRole: Role.fromRoleName(
                this,
                'EndpointDeploymentRole',
                names.endpointDeploymentRole,
                {
                  mutable: false,
                },
              ),
              // A first create that failed leaves a stack that can only be replaced.
              replaceOnFailure: true,
              parameterOverrides: {
                ModelNameParameter: config.modelNameParameter,
                EndpointNamePrefix: config.endpointNamePrefix,
                StageName: PRODUCTION_STAGE,
                DataCaptureS3Uri: `s3://${names.artifactBucket}/data-capture`,
              },
            }),
          ],
        },
      ],
    });
    this.acknowledgeGeneratedFindings(projects);
    Aspects.of(this).add(new AcknowledgeDeclaredWildcards());
    new CfnOutput(this, 'PipelineName', {
      value: this.pipeline.pipelineName,
      description: 'CodePipeline name',
    });
  }

  /** What cdk-nag reports on the policies and projects CDK generates for the pipeline, and why it stays. */
  private acknowledgeGeneratedFindings(projects: BuildProjects): void {
    const artifactGrants = {
      finding: /^Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*$|^Resource::.*\/\*$/,
      reason: 'CDK’s read/write grant on the artifact bucket: actions run on per-execution artifact keys',
    };
    acknowledgeGeneratedWildcards(this.pipeline, [
      artifactGrants,
      {
        finding: /^Action::cloudformation:(DescribeStack|GetTemplate)\*$/,
        reason: 'CDK’s grant to the deploy action, on the one endpoint stack’s ARN',
      },
    ]);
    for (const project of [projects.buildModel, projects.buildEndpointTemplate]) {
      acknowledgeGeneratedWildcards(project, [
        artifactGrants,
        {
          finding:
            /^Resource::arn:<AWS::Partition>:(logs|codebuild):<AWS::Region>:<AWS::AccountId>:(log-group:\/aws\/codebuild\/|report-group\/)<\w+>(:\*|-\*)$/,
          reason: 'CDK’s grant to the project’s own log group streams and report groups',
        },
      ]);
      Validations.of(project).acknowledge({
        id: 'AwsSolutions-CB4',
        reason:
          'Build artifacts go to the SSE-S3-encrypted artifact bucket; CodeBuild encrypts with the AWS managed S3 key',
      });
    }
  }
}
