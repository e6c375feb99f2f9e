import { join } from 'node:path';

import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { sageMakerArn } from '../permissions/arns';
import { scopedStatement } from '../permissions/statements';

const REPO_ROOT = join(__dirname, '..', '..', '..');

export interface ReviewNotifierFunctionProps {
  readonly functionName: string;
  readonly modelPackageGroupName: string;
  /** The endpoint stack whose serving package a new one is compared with, and its endpoint. */
  readonly endpointStackName: string;
  readonly endpointName: string;
  /** Where the evaluation reports are: the artifact bucket and the pipeline's key prefix. */
  readonly reportsBucket: string;
  readonly reportsPrefix: string;
  readonly topic: ITopic;
  readonly topicKey: IKey;
}

/**
 * The approvers' notifier: src/lambda/review-notifier.ts (the message module is shared with the local
 * AWS), bundled by the local esbuild. Its role reads the group's packages, the endpoint stack and its
 * endpoint, the evaluation reports, and publishes to the one topic — nothing else.
 */
export class ReviewNotifierFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: ReviewNotifierFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description:
        'review-notifier: reads the model packages and the serving endpoint, e-mails the approvers',
    });
    for (const statement of notifierStatements(this, props, logGroup.logGroupArn))
      role.addToPolicy(statement);
    this.function = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: 'Tells the approvers what to review: a new model package against the deployed one',
      entry: join(REPO_ROOT, 'src', 'lambda', 'review-notifier.ts'),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      role,
      logGroup,
      timeout: Duration.seconds(60),
      memorySize: 256,
      environment: {
        TOPIC_ARN: props.topic.topicArn,
        ENDPOINT_STACK_NAME: props.endpointStackName,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: 'node22',
        minify: true,
        sourceMap: false,
        // The Node.js 22 runtime ships the AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the LTS runtime the project targets (local runs and the bundle are tested on it)',
    });
  }
}

function notifierStatements(scope: Construct, props: ReviewNotifierFunctionProps, logGroupArn: string) {
  const stack = Stack.of(scope);
  return [
    scopedStatement({
      sid: 'DescribeGroupPackages',
      actions: ['sagemaker:DescribeModelPackage'],
      resources: [sageMakerArn(scope, 'model-package', `${props.modelPackageGroupName}/*`)],
      wildcard: 'Every version of the one model package group: new versions appear with each pipeline run',
    }),
    scopedStatement({
      sid: 'ReadEndpointStack',
      actions: ['cloudformation:DescribeStacks'],
      resources: [
        stack.formatArn({
          service: 'cloudformation',
          resource: 'stack',
          resourceName: `${props.endpointStackName}/*`,
        }),
      ],
      wildcard: 'The stack ARN ends in the id CloudFormation gives the one named endpoint stack',
    }),
    scopedStatement({
      sid: 'ReadServingEndpoint',
      actions: ['sagemaker:DescribeEndpoint', 'sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeModel'],
      resources: [
        sageMakerArn(scope, 'endpoint', props.endpointName),
        sageMakerArn(scope, 'endpoint-config', '*'),
        sageMakerArn(scope, 'model', '*'),
      ],
      wildcard:
        'CloudFormation generates the endpoint config and model names of each deploy (models are immutable); Describe only',
    }),
    scopedStatement({
      sid: 'ReadEvaluationReports',
      actions: ['s3:GetObject'],
      resources: [
        `arn:${stack.partition}:s3:::${props.reportsBucket}/${props.reportsPrefix}/*/evaluation.json`,
      ],
      wildcard: 'One evaluation report per pipeline execution, under the pipeline’s prefix',
    }),
    scopedStatement({
      sid: 'PublishToApprovers',
      actions: ['sns:Publish'],
      resources: [props.topic.topicArn],
    }),
    scopedStatement({
      sid: 'EncryptForTopic',
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: [props.topicKey.keyArn],
      wildcard: 'kms:GenerateDataKey* covers the two data-key calls SNS makes for an encrypted topic',
    }),
    scopedStatement({
      sid: 'WriteNotifierLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${logGroupArn}:log-stream:*`],
      wildcard: 'Lambda creates a log stream per execution environment inside the function’s own log group',
    }),
  ];
}
