import {
  BuildSpec,
  BuildEnvironmentVariableType,
  LinuxBuildImage,
  PipelineProject,
} from 'aws-cdk-lib/aws-codebuild';
import { Construct } from 'constructs';

import type { InfraConfig } from '../config';
import { pipelineOperatorStatements } from '../permissions/pipeline-operator';
import type { BucketRef, RoleRef } from '../permissions/refs';

/** The file the BuildCdk stage hands to the deploy stage (cdk-model-deploy's stack id names it). */
export const ENDPOINT_TEMPLATE_FILE = 'EndpointStack.template.json';

/**
 * The environment `mlops run --target aws` reads in the BuildSageMakerModel stage (src/run/config.ts).
 * CodeBuild sets AWS_REGION itself.
 */
export const BUILD_MODEL_ENVIRONMENT = {
  pipelineName: 'MLOPS_PIPELINE_NAME',
  roleArn: 'MLOPS_ROLE_ARN',
  bucket: 'MLOPS_BUCKET',
  modelPackageGroup: 'MLOPS_MODEL_PACKAGE_GROUP',
  lambdaArn: 'MLOPS_LAMBDA_ARN',
  modelNameParameter: 'MLOPS_MODEL_NAME_PARAMETER',
} as const;

/**
 * Runs the pipeline and stops once the model is registered and its name recorded (`--manual-approval`):
 * the approval and the deploy are the CodePipeline's own later stages. Settings come from the
 * MLOPS_* environment variables above.
 */
const BUILD_MODEL_COMMANDS = ['npx mlops run --target aws --manual-approval'];

export interface BuildProjectsProps {
  readonly config: InfraConfig;
  readonly bucket: BucketRef;
  readonly sageMakerRole: RoleRef;
  readonly recordModelNameFunctionArn: string;
}

const INSTALL = { 'runtime-versions': { nodejs: 20 }, commands: ['npm ci'] };

/** The two CodeBuild projects of the CodePipeline: run the SageMaker pipeline; synthesize the endpoint. */
export class BuildProjects extends Construct {
  readonly buildModel: PipelineProject;
  readonly buildEndpointTemplate: PipelineProject;

  constructor(scope: Construct, id: string, props: BuildProjectsProps) {
    super(scope, id);
    const { config } = props;
    const environment = { buildImage: LinuxBuildImage.STANDARD_7_0 };
    const values: Record<keyof typeof BUILD_MODEL_ENVIRONMENT, string> = {
      pipelineName: config.sagemakerPipelineName,
      roleArn: props.sageMakerRole.roleArn,
      bucket: props.bucket.bucketName,
      modelPackageGroup: config.modelPackageGroupName,
      lambdaArn: props.recordModelNameFunctionArn,
      modelNameParameter: config.modelNameParameter,
    };
    this.buildModel = new PipelineProject(this, 'BuildSageMakerModel', {
      description:
        'Upserts and runs the SageMaker pipeline until the model is registered (mlops run --target aws)',
      environment,
      environmentVariables: Object.fromEntries(
        Object.entries(BUILD_MODEL_ENVIRONMENT).map(([key, name]) => [
          name,
          { type: BuildEnvironmentVariableType.PLAINTEXT, value: values[key as keyof typeof values] },
        ]),
      ),
      buildSpec: BuildSpec.fromObject({
        version: '0.2',
        phases: { install: INSTALL, build: { commands: BUILD_MODEL_COMMANDS } },
      }),
    });
    pipelineOperatorStatements({
      scope: this,
      pipelineName: config.sagemakerPipelineName,
      modelPackageGroupName: config.modelPackageGroupName,
      modelNameParameter: config.modelNameParameter,
      bucket: props.bucket,
      sageMakerRole: props.sageMakerRole,
    }).forEach((statement) => this.buildModel.addToRolePolicy(statement));

    const context = {
      modelSource: 'ssmParameter',
      modelNameParameter: config.modelNameParameter,
      endpointNamePrefix: config.endpointNamePrefix,
    };
    this.buildEndpointTemplate = new PipelineProject(this, 'BuildCdk', {
      description: 'Synthesizes the cdk-model-deploy endpoint template',
      environment,
      buildSpec: BuildSpec.fromObject({
        version: '0.2',
        phases: {
          install: INSTALL,
          build: {
            commands: [
              `cd cdk-model-deploy && npx cdk synth -q --no-notices ${Object.entries(context)
                .map(([key, value]) => `-c ${key}=${value}`)
                .join(' ')}`,
            ],
          },
        },
        artifacts: { 'base-directory': 'cdk-model-deploy/cdk.out', files: [ENDPOINT_TEMPLATE_FILE] },
      }),
    });
  }
}
