/**
 * The only actions any policy here grants on `*`, each because AWS offers no resource-level permission
 * for it. The tests fail on a `*` resource with any other action.
 */
export const UNSCOPED_ACTIONS = {
  'ecr:GetAuthorizationToken': 'returns a registry login token; the action has no resource type',
  'cloudwatch:PutMetricData':
    'metrics have no ARN; the statement is limited to the /aws/sagemaker/ namespaces by condition',
  'sagemaker:ListModelPackages': 'list operation without resource-level permissions; results are read-only',
  'cloudformation:ValidateTemplate': 'validates a template body; the action has no resource type',
  'cloudwatch:DescribeAlarms':
    'read-only list of alarms, which CloudFormation calls to track the rollback alarms',
  'application-autoscaling:DescribeScalableTargets':
    'read-only; Application Auto Scaling Describe* calls take no resource',
  'application-autoscaling:DescribeScalingPolicies':
    'read-only; Application Auto Scaling Describe* calls take no resource',
  'application-autoscaling:DescribeScalingActivities':
    'read-only; Application Auto Scaling Describe* calls take no resource',
  'application-autoscaling:RegisterScalableTarget':
    'scalable targets get random ids; limited by condition to SageMaker variant instance counts',
  'application-autoscaling:DeregisterScalableTarget':
    'scalable targets get random ids; limited by condition to SageMaker variant instance counts',
  'application-autoscaling:PutScalingPolicy':
    'scalable targets get random ids; limited by condition to SageMaker variant instance counts',
  'application-autoscaling:DeleteScalingPolicy':
    'scalable targets get random ids; limited by condition to SageMaker variant instance counts',
} as const;

export type UnscopedAction = keyof typeof UNSCOPED_ACTIONS;
