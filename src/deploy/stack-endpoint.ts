import { DescribeStackResourcesCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';

import type { TemplateFile } from './template';

/**
 * The SageMaker endpoint the stack deployed: the `EndpointName` output when the template has one, else
 * the physical id of its (first) AWS::SageMaker::Endpoint resource; undefined for stacks without one.
 */
export async function stackEndpointName(
  cloudformation: CloudFormationClient,
  options: { stackName: string; template: TemplateFile; outputs: Readonly<Record<string, string>> },
): Promise<string | undefined> {
  const fromOutput = options.outputs.EndpointName;
  if (fromOutput) return fromOutput;
  const logicalId = options.template.endpointResources[0];
  if (!logicalId) return undefined;
  const { StackResources } = await cloudformation.send(
    new DescribeStackResourcesCommand({ StackName: options.stackName, LogicalResourceId: logicalId }),
  );
  return StackResources?.[0]?.PhysicalResourceId;
}
