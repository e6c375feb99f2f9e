import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * ARNs in the stack's own (deploy-time) account and region. SageMaker lower-cases resource names in its
 * ARNs, so the names are lower-cased here as well.
 */
export function sageMakerArn(scope: IConstruct, resource: string, name: string): string {
  return Stack.of(scope).formatArn({ service: 'sagemaker', resource, resourceName: name.toLowerCase() });
}

/** `arn:...:ssm:...:parameter/mlops/abalone/model-name` for the parameter `/mlops/abalone/model-name`. */
export function ssmParameterArn(scope: IConstruct, parameterName: string): string {
  return Stack.of(scope).formatArn({
    service: 'ssm',
    resource: 'parameter',
    resourceName: parameterName.replace(/^\//, ''),
  });
}

export function cloudWatchAlarmArn(scope: IConstruct, alarmName: string): string {
  return Stack.of(scope).formatArn({
    service: 'cloudwatch',
    resource: 'alarm',
    resourceName: alarmName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export function logGroupArn(scope: IConstruct, logGroupName: string): string {
  return Stack.of(scope).formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: logGroupName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** Every stack whose name starts with the prefix (the ARN ends in `/<stack id>`). */
export function stackPrefixArn(scope: IConstruct, stackNamePrefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'cloudformation',
    resource: 'stack',
    resourceName: `${stackNamePrefix}*`,
  });
}
