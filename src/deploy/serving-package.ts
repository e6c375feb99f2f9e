import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';

/**
 * The model package the endpoint of an endpoint stack serves: stack → its `EndpointName` output →
 * the endpoint config in use → the first variant's model → the package its container was made from.
 * Undefined when the stack or its endpoint does not exist, or the model was not made from a package.
 */
export async function servingModelPackage(
  clients: { readonly cloudformation: CloudFormationClient; readonly sagemaker: SageMakerClient },
  stackName: string,
): Promise<string | undefined> {
  const endpointName = await stackEndpoint(clients.cloudformation, stackName);
  if (!endpointName) return undefined;
  const { sagemaker } = clients;
  const endpoint = await absentAsUndefined(() =>
    sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName })),
  );
  if (!endpoint?.EndpointConfigName) return undefined;
  const config = await sagemaker.send(
    new DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName }),
  );
  const modelName = config.ProductionVariants?.[0]?.ModelName;
  if (!modelName) return undefined;
  const model = await sagemaker.send(new DescribeModelCommand({ ModelName: modelName }));
  return model.PrimaryContainer?.ModelPackageName ?? model.Containers?.[0]?.ModelPackageName;
}

/** The stack's `EndpointName` output (cdk-model-deploy's endpoint stacks have it). */
async function stackEndpoint(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<string | undefined> {
  const described = await absentAsUndefined(() =>
    cloudformation.send(new DescribeStacksCommand({ StackName: stackName })),
  );
  return described?.Stacks?.[0]?.Outputs?.find((output) => output.OutputKey === 'EndpointName')?.OutputValue;
}

/** A missing stack (ValidationError) or endpoint (ValidationException): nothing serves. */
async function absentAsUndefined<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const { name, message } = error as Error;
    if (
      (name === 'ValidationException' || name === 'ValidationError') &&
      /does not exist|Could not find/i.test(message)
    )
      return undefined;
    throw error;
  }
}
