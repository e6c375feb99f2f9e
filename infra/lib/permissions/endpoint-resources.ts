import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

import { cloudWatchAlarmArn, sageMakerArn, ssmParameterArn } from './arns';
import { passRoleStatement, scopedStatement, unscopedStatement } from './statements';
import type { RoleRef } from './refs';

export interface EndpointResourceScope {
  readonly scope: IConstruct;
  readonly endpointNamePrefix: string;
  readonly modelPackageGroupName: string;
  readonly modelNameParameter: string;
  /** Passed to SageMaker when the stack creates a model from a model package. */
  readonly sageMakerRole: RoleRef;
}

/**
 * What CloudFormation needs to create, update and delete the cdk-model-deploy stack's resources: the
 * model, endpoint config and endpoint, the rollback alarms and the autoscaling target and policy.
 */
export function endpointResourceStatements(s: EndpointResourceScope): PolicyStatement[] {
  const endpoints = sageMakerArn(s.scope, 'endpoint', `${s.endpointNamePrefix}-*`);
  const account = Stack.of(s.scope).account;
  return [
    scopedStatement({
      sid: 'EndpointResources',
      actions: [
        'sagemaker:CreateModel',
        'sagemaker:DescribeModel',
        'sagemaker:DeleteModel',
        'sagemaker:CreateEndpointConfig',
        'sagemaker:DescribeEndpointConfig',
        'sagemaker:DeleteEndpointConfig',
        'sagemaker:CreateEndpoint',
        'sagemaker:UpdateEndpoint',
        'sagemaker:DescribeEndpoint',
        'sagemaker:DeleteEndpoint',
        'sagemaker:UpdateEndpointWeightsAndCapacities',
        'sagemaker:AddTags',
        'sagemaker:DeleteTags',
        'sagemaker:ListTags',
      ],
      resources: [
        sageMakerArn(s.scope, 'model', '*'),
        sageMakerArn(s.scope, 'endpoint-config', '*'),
        endpoints,
      ],
      wildcard:
        'CloudFormation generates model and endpoint config names; endpoints are limited to the template’s name prefix',
    }),
    scopedStatement({
      sid: 'ReadModelPackages',
      actions: ['sagemaker:DescribeModelPackage'],
      resources: [sageMakerArn(s.scope, 'model-package', `${s.modelPackageGroupName}/*`)],
      wildcard: 'any version of the one model package group may be deployed',
    }),
    passRoleStatement({
      sid: 'PassModelRole',
      roleArn: s.sageMakerRole.roleArn,
      toService: 'sagemaker.amazonaws.com',
    }),
    scopedStatement({
      sid: 'ResolveModelNameParameter',
      actions: ['ssm:GetParameters', 'ssm:GetParameter'],
      resources: [ssmParameterArn(s.scope, s.modelNameParameter)],
    }),
    scopedStatement({
      sid: 'RollbackAndScalingAlarms',
      actions: [
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:TagResource',
        'cloudwatch:ListTagsForResource',
      ],
      resources: [
        cloudWatchAlarmArn(s.scope, `${s.endpointNamePrefix}-*`),
        // Target tracking creates its own alarms, named after the scalable resource.
        cloudWatchAlarmArn(s.scope, `TargetTracking-endpoint/${s.endpointNamePrefix}-*`),
      ],
      wildcard: 'alarm names start with the endpoint name, which ends in the stage',
    }),
    unscopedStatement({
      sid: 'DescribeAlarmsAndScaling',
      actions: [
        'cloudwatch:DescribeAlarms',
        'application-autoscaling:DescribeScalableTargets',
        'application-autoscaling:DescribeScalingPolicies',
        'application-autoscaling:DescribeScalingActivities',
      ],
    }),
    unscopedStatement({
      sid: 'EndpointAutoscaling',
      actions: [
        'application-autoscaling:RegisterScalableTarget',
        'application-autoscaling:DeregisterScalableTarget',
        'application-autoscaling:PutScalingPolicy',
        'application-autoscaling:DeleteScalingPolicy',
      ],
      conditions: {
        StringEquals: {
          'application-autoscaling:service-namespace': 'sagemaker',
          'application-autoscaling:scalable-dimension': 'sagemaker:variant:DesiredInstanceCount',
        },
      },
    }),
    scopedStatement({
      sid: 'AutoscalingServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [
        `arn:${Stack.of(s.scope).partition}:iam::${account}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
      ],
      conditions: {
        StringEquals: { 'iam:AWSServiceName': 'sagemaker.application-autoscaling.amazonaws.com' },
      },
    }),
  ];
}
