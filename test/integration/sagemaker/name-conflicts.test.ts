import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateModelPackageGroupCommand,
  CreatePipelineCommand,
  DescribeModelCommand,
  DescribeModelPackageGroupCommand,
} from '@aws-sdk/client-sagemaker';

import { ROLE_ARN, putObject, startLocalSageMaker, stopLocalSageMaker, type LocalSageMaker } from './helpers';

jest.setTimeout(30_000);

const ARN_PREFIX = 'arn:aws:sagemaker:us-east-1:000000000000';
const XGBOOST_IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';

const definition = (description: string) =>
  JSON.stringify({
    Version: '2020-12-01',
    Metadata: { description },
    Steps: [{ Name: 'Fail', Type: 'Fail', Arguments: { ErrorMessage: 'never run' } }],
  });

const endpointConfig = (name: string, weight: number) =>
  new CreateEndpointConfigCommand({
    EndpointConfigName: name,
    ProductionVariants: [
      {
        VariantName: 'AllTraffic',
        ModelName: 'conflict-model',
        InstanceType: 'ml.m5.large',
        InitialInstanceCount: 1,
        InitialVariantWeight: weight,
      },
    ],
  });

/** Runs two requests at once; returns the fulfilled values and the rejections. */
async function race<T>(first: Promise<T>, second: Promise<T>): Promise<{ ok: T[]; errors: unknown[] }> {
  const settled = await Promise.allSettled([first, second]);
  return {
    ok: settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])),
    errors: settled.flatMap((result) => (result.status === 'rejected' ? [result.reason] : [])),
  };
}

describe('creating a SageMaker resource whose name is taken', () => {
  let local: LocalSageMaker | undefined;
  const sm = () => local!.sagemaker;

  beforeAll(async () => {
    local = await startLocalSageMaker();
    await sm().send(
      new CreateModelCommand({
        ModelName: 'conflict-model',
        ExecutionRoleArn: ROLE_ARN,
        PrimaryContainer: {
          Image: XGBOOST_IMAGE,
          ModelDataUrl: 's3://models-bucket/none/model.tar.gz',
          Environment: { VERSION: 'first' },
        },
      }),
    );
  });

  afterAll(() => stopLocalSageMaker(local));

  it('CreateModel: ValidationException "Cannot create already existing model", the model unchanged', async () => {
    await expect(
      sm().send(
        new CreateModelCommand({
          ModelName: 'conflict-model',
          ExecutionRoleArn: ROLE_ARN,
          PrimaryContainer: { Image: XGBOOST_IMAGE, Environment: { VERSION: 'second' } },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Cannot create already existing model "${ARN_PREFIX}:model/conflict-model".`,
    });
    const model = await sm().send(new DescribeModelCommand({ ModelName: 'conflict-model' }));
    expect(model.PrimaryContainer?.Environment).toEqual({ VERSION: 'first' });
  });

  it('CreateEndpointConfig: of two concurrent creates of one name, one succeeds and one is refused', async () => {
    const { ok, errors } = await race(
      sm().send(endpointConfig('conflict-config', 1)),
      sm().send(endpointConfig('conflict-config', 2)),
    );
    expect(ok).toHaveLength(1);
    expect(errors).toEqual([
      expect.objectContaining({
        name: 'ValidationException',
        message: `Cannot create already existing endpoint configuration "${ARN_PREFIX}:endpoint-config/conflict-config".`,
      }),
    ]);
  });

  it('CreateEndpoint: ValidationException "Cannot create already existing endpoint"', async () => {
    await sm().send(endpointConfig('endpoint-config-a', 1));
    await sm().send(
      new CreateEndpointCommand({
        EndpointName: 'conflict-endpoint',
        EndpointConfigName: 'endpoint-config-a',
      }),
    );
    await expect(
      sm().send(
        new CreateEndpointCommand({
          EndpointName: 'conflict-endpoint',
          EndpointConfigName: 'endpoint-config-a',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Cannot create already existing endpoint "${ARN_PREFIX}:endpoint/conflict-endpoint".`,
    });
  });

  it('CreateModelPackageGroup: ValidationException "Model Package Group already exists"', async () => {
    const create = (description: string) =>
      sm().send(
        new CreateModelPackageGroupCommand({
          ModelPackageGroupName: 'conflict-group',
          ModelPackageGroupDescription: description,
        }),
      );
    await create('first');
    await expect(create('second')).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Model Package Group already exists: ${ARN_PREFIX}:model-package-group/conflict-group`,
    });
    const group = await sm().send(
      new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'conflict-group' }),
    );
    expect(group.ModelPackageGroupDescription).toBe('first');
  });

  it('CreatePipeline: of two concurrent creates of one name, one succeeds and one is refused', async () => {
    await putObject(local!, 's3://definitions-bucket/first.json', definition('first'));
    await putObject(local!, 's3://definitions-bucket/second.json', definition('second'));
    const create = (key: string) =>
      sm().send(
        new CreatePipelineCommand({
          PipelineName: 'conflict-pipeline',
          PipelineDefinitionS3Location: { Bucket: 'definitions-bucket', ObjectKey: key },
          RoleArn: ROLE_ARN,
        }),
      );
    const { ok, errors } = await race(create('first.json'), create('second.json'));
    expect(ok).toHaveLength(1);
    expect(errors).toEqual([
      expect.objectContaining({
        name: 'ValidationException',
        message:
          'Pipeline names must be unique within an AWS account and region. Pipeline with name (conflict-pipeline) already exists.',
      }),
    ]);
  });
});
