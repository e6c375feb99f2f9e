import { Duration, Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { bundledNodeFunction } from '../lambda/bundled-node-function';
import { sageMakerArn } from '../permissions/arns';
import { scopedStatement } from '../permissions/statements';

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
    this.function = bundledNodeFunction(this, {
      functionName: props.functionName,
      description: 'Tells the approvers what to review: a new model package against the deployed one',
      handlerFile: 'review-notifier.ts',
      roleDescription:
        'review-notifier: reads the model packages and the serving endpoint, e-mails the approvers',
      statements: notifierStatements(this, props),
      environment: { TOPIC_ARN: props.topic.topicArn, ENDPOINT_STACK_NAME: props.endpointStackName },
      timeout: Duration.seconds(60),
    }).function;
  }
}

function notifierStatements(scope: Construct, props: ReviewNotifierFunctionProps) {
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
  ];
}
