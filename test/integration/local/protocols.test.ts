import {
  CloudFormationClient,
  CloudFormationServiceException,
  ListStackSetsCommand,
} from '@aws-sdk/client-cloudformation';
import { LambdaClient, LambdaServiceException, ListLayersCommand } from '@aws-sdk/client-lambda';
import {
  DescribeNotebookInstanceCommand,
  SageMakerClient,
  SageMakerServiceException,
} from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointAsyncCommand,
  SageMakerRuntimeClient,
  SageMakerRuntimeServiceException,
} from '@aws-sdk/client-sagemaker-runtime';

import { useLocalAws } from './harness';

const harness = useLocalAws();

/** Each protocol answers an operation the local AWS lacks with its own typed error, naming the operation. */
describe('unimplemented operations, per protocol', () => {
  it('awsJson (SageMaker): UnknownOperationException', async () => {
    const client = harness.client(SageMakerClient, { maxAttempts: 1 });
    const error = await client
      .send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'nb' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SageMakerServiceException);
    expect(error).toMatchObject({
      name: 'UnknownOperationException',
      message: expect.stringContaining('DescribeNotebookInstance'),
    });
  });

  it('awsQuery (CloudFormation): InvalidAction in an ErrorResponse', async () => {
    const client = harness.client(CloudFormationClient, { maxAttempts: 1 });
    const error = await client.send(new ListStackSetsCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudFormationServiceException);
    expect(error).toMatchObject({
      name: 'InvalidAction',
      message: expect.stringContaining('ListStackSets'),
      $fault: 'client',
    });
  });

  it('restJson (Lambda): an unrouted path', async () => {
    const client = harness.client(LambdaClient, { maxAttempts: 1 });
    const error = await client.send(new ListLayersCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LambdaServiceException);
    expect(error).toMatchObject({
      name: 'UnknownOperationException',
      message: expect.stringContaining('/2018-10-31/layers'),
    });
  });

  it('restJson (SageMaker Runtime, routed by path though signed as sagemaker)', async () => {
    const client = harness.client(SageMakerRuntimeClient, { maxAttempts: 1 });
    const error = await client
      .send(new InvokeEndpointAsyncCommand({ EndpointName: 'e', InputLocation: 's3://b/k' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SageMakerRuntimeServiceException);
    expect(error).toMatchObject({
      name: 'UnknownOperationException',
      message: expect.stringContaining('InvokeEndpointAsync'),
    });
  });
});

describe('admin routes', () => {
  it('reports health with the mounted services', async () => {
    const response = await fetch(`${harness.aws().endpoint}/_mlops/health`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as { status: string; services: string[] };
    expect(health.status).toBe('ok');
    expect(health.services).toEqual(expect.arrayContaining(['s3', 'ssm', 'lambda']));
  });

  it('answers an unknown admin route with 404 naming the routes there are', async () => {
    const response = await fetch(`${harness.aws().endpoint}/_mlops/nothing`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('/_mlops/health');
  });
});
