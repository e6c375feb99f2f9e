import type { ParameterValue } from './types';

export interface StackIdentity {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly notificationArns: readonly string[];
}

/** The values of `AWS::Region`, `AWS::AccountId`, ... for one stack (`AWS::NoValue` is handled by Ref). */
export function pseudoParameters(stack: StackIdentity): Record<string, ParameterValue> {
  return {
    'AWS::Region': stack.region,
    'AWS::AccountId': stack.accountId,
    'AWS::StackName': stack.stackName,
    'AWS::StackId': stack.stackId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NotificationARNs': [...stack.notificationArns],
  };
}
