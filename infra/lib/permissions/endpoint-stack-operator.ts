import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

import { sageMakerArn, stackPrefixArn } from './arns';
import { passRoleStatement, scopedStatement, unscopedStatement } from './statements';
import type { RoleRef } from './refs';

export interface EndpointStackOperatorScope {
  readonly scope: IConstruct;
  readonly endpointStackPrefix: string;
  readonly endpointNamePrefix: string;
  /** The stages this role deploys: stacks `<endpointStackPrefix>-<stage>`, endpoints `<endpointNamePrefix>-<stage>`. */
  readonly stages: readonly string[];
  /** The CloudFormation service role the endpoint stacks are deployed with. */
  readonly deploymentRole: RoleRef;
}

/**
 * What the deploy-endpoint action needs besides the pipeline operator's reads: change sets on the
 * endpoint stacks (CloudFormation itself acts with the deployment role) and the smoke test.
 */
export function endpointStackOperatorStatements(s: EndpointStackOperatorScope): PolicyStatement[] {
  return [
    scopedStatement({
      sid: 'EndpointStackChangeSets',
      actions: [
        'cloudformation:CreateChangeSet',
        'cloudformation:DescribeChangeSet',
        'cloudformation:ExecuteChangeSet',
        'cloudformation:DeleteChangeSet',
        'cloudformation:ListChangeSets',
        'cloudformation:DescribeStacks',
        'cloudformation:DescribeStackEvents',
        'cloudformation:DescribeStackResources',
        'cloudformation:GetTemplate',
        // A first create that rolled back leaves a stack that can only be deleted and created again.
        'cloudformation:DeleteStack',
      ],
      resources: s.stages.map((stage) => stackPrefixArn(s.scope, `${s.endpointStackPrefix}-${stage}/`)),
      wildcard: 'the stacks <prefix>-<stage> of these stages; their ARNs end in an id CloudFormation chooses',
    }),
    unscopedStatement({ sid: 'ValidateTemplates', actions: ['cloudformation:ValidateTemplate'] }),
    passRoleStatement({
      sid: 'PassDeploymentRole',
      roleArn: s.deploymentRole.roleArn,
      toService: 'cloudformation.amazonaws.com',
    }),
    scopedStatement({
      sid: 'SmokeTestEndpoints',
      actions: ['sagemaker:DescribeEndpoint', 'sagemaker:DescribeEndpointConfig', 'sagemaker:InvokeEndpoint'],
      resources: [
        ...s.stages.map((stage) => sageMakerArn(s.scope, 'endpoint', `${s.endpointNamePrefix}-${stage}`)),
        sageMakerArn(s.scope, 'endpoint-config', '*'),
      ],
      wildcard: 'endpoint configs get names CloudFormation generates',
    }),
    scopedStatement({
      sid: 'ReadServingModel',
      actions: ['sagemaker:DescribeModel'],
      resources: [sageMakerArn(s.scope, 'model', '*')],
      wildcard: 'the endpoint stacks’ models get names CloudFormation generates',
    }),
  ];
}
