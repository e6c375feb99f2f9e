import { endpointPropsFromContext } from '../../cdk-model-deploy/lib/context';
import { removeAssemblies, testApp } from './apps';

afterAll(removeAssemblies);

const propsFrom = (context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
  endpointPropsFromContext(testApp({ context }).node, env);

describe('endpoint props from CDK context and MLOPS_* variables', () => {
  test('no context keeps every default (SSM source, instances, canary)', () => {
    expect(propsFrom({})).toEqual({
      modelSource: { kind: 'ssmParameter' },
      capacity: { kind: 'instances', autoscaling: {} },
      trafficRouting: { type: 'CANARY' },
      rollbackAlarms: {},
      dataCapture: {},
    });
  });

  test('-c values arrive as strings and are converted', () => {
    const props = propsFrom({
      modelPackageArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/mlops-abalone/7',
      executionRoleArn: 'arn:aws:iam::111111111111:role/sm',
      instanceCount: '3',
      autoscaling: 'false',
      trafficRouting: 'LINEAR',
      trafficStepSize: '20',
      waitIntervalSeconds: '120',
      stageName: 'production',
      tags: '{"team":"ml","cost-center":"42"}',
    });
    expect(props.modelSource).toEqual({
      kind: 'modelPackage',
      modelPackageArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/mlops-abalone/7',
      executionRoleArn: 'arn:aws:iam::111111111111:role/sm',
    });
    expect(props.capacity).toEqual({ kind: 'instances', instanceCount: 3, autoscaling: false });
    expect(props.trafficRouting).toEqual({
      type: 'LINEAR',
      waitIntervalSeconds: 120,
      linearStepSize: { type: 'CAPACITY_PERCENT', value: 20 },
    });
    expect(props.stageName).toBe('production');
    expect(props.tags).toEqual({ team: 'ml', 'cost-center': '42' });
  });

  test('serverless from cdk.json values (JSON types) and a model name source', () => {
    const props = propsFrom({
      serverless: true,
      serverlessMemoryMb: 4096,
      modelName: 'pipelines-x-CreateModel',
    });
    expect(props.capacity).toEqual({ kind: 'serverless', memorySizeMb: 4096 });
    expect(props.modelSource).toEqual({ kind: 'modelName', modelName: 'pipelines-x-CreateModel' });
  });

  test('environment variables fill keys the context leaves out; context wins', () => {
    const props = propsFrom(
      { stageName: 'production' },
      {
        MLOPS_STAGE_NAME: 'staging',
        MLOPS_MODEL_NAME_PARAMETER: '/team/model',
        MLOPS_DATA_CAPTURE_S3_URI: 's3://b/capture',
      },
    );
    expect(props.stageName).toBe('production');
    expect(props.modelSource).toEqual({ kind: 'ssmParameter', parameterName: '/team/model' });
    expect(props.dataCapture).toEqual({ destinationS3Uri: 's3://b/capture' });
  });

  test.each([
    [{ instanceCount: 'two' }, 'context instanceCount is "two"; expected a number'],
    [{ serverless: 'yes' }, 'context serverless is "yes"; expected true or false'],
    [
      { modelSource: 'registry' },
      'context modelSource is "registry"; expected one of ssmParameter, modelName, modelPackage',
    ],
    [{ tags: '{team:ml}' }, 'context tags is "{team:ml}"; expected a JSON object'],
    [{ tags: '["a"]' }, 'context tags is ["a"]; expected a JSON object of strings'],
  ])('rejects %j', (context, message) => {
    expect(() => propsFrom(context)).toThrow(message);
  });
});
