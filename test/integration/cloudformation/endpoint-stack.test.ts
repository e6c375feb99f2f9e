import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  type Parameter,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import {
  CreateModelCommand,
  DescribeEndpointCommand,
  ListEndpointConfigsCommand,
  ListModelsCommand,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';

import { synthesizeEndpointTemplate } from '../../../cdk-model-deploy/lib/synth';
import { createClient } from '../../../src/aws/clients';
import { buildAbaloneModel, rmse, type AbaloneModel } from '../endpoints/abalone-model';
import { modelDataUrl, uploadModels } from '../endpoints/hosting';
import { XGBOOST_IMAGE, poll, startTestAws, type TestAws } from '../endpoints/local-aws';

jest.setTimeout(60_000);

const TEMPLATE = fs.readFileSync(
  path.resolve(__dirname, '../../fixtures/templates/endpoint-stack.template.json'),
  'utf8',
);
const NO_CHANGES =
  "The submitted information didn't contain changes. Submit different information to create a change set.";
const STACK = 'abalone-endpoint';
const ENDPOINT = 'abalone-test';

let t: TestAws;
let model: AbaloneModel;

const parameters = (modelKey: string): Parameter[] => [
  { ParameterKey: 'ModelDataUrl', ParameterValue: modelDataUrl(modelKey) },
  { ParameterKey: 'EndpointName', ParameterValue: ENDPOINT },
];

beforeAll(async () => {
  t = await startTestAws();
  model = await buildAbaloneModel(path.join(t.dir, 'model'));
  await uploadModels(t, { v1: { file: model.modelTarGz }, corrupt: { file: model.corruptTarGz } });
});

afterAll(async () => {
  await t?.stop();
});

async function stack(name = STACK): Promise<Stack> {
  return (await t.cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
}

async function changeSet(name: string, modelKey: string, type: 'CREATE' | 'UPDATE') {
  const { Id } = await t.cfn.send(
    new CreateChangeSetCommand({
      StackName: STACK,
      ChangeSetName: name,
      ChangeSetType: type,
      TemplateBody: TEMPLATE,
      Parameters: parameters(modelKey),
      Capabilities: ['CAPABILITY_IAM'],
    }),
  );
  await poll(
    () => t.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id })),
    (described) => !/PENDING|IN_PROGRESS/.test(described.Status ?? ''),
  );
  return t.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
}

async function predict(rows: readonly string[], client: SageMakerRuntimeClient = t.runtime) {
  const response = await client.send(
    new InvokeEndpointCommand({
      EndpointName: ENDPOINT,
      ContentType: 'text/csv',
      Accept: 'text/csv',
      Body: rows.join('\n'),
    }),
  );
  return {
    variant: response.InvokedProductionVariant,
    values: Buffer.from(response.Body!).toString('utf8').split('\n').map(Number),
  };
}

describe('the endpoint stack on the local CloudFormation', () => {
  test('a CDK-like template deploys through a change set and the endpoint reproduces the evaluation RMSE', async () => {
    const created = await changeSet('create', 'v1', 'CREATE');
    expect(created.Status).toBe('CREATE_COMPLETE');
    expect(created.Changes!.map((change) => change.ResourceChange!.Action)).toEqual(
      created.Changes!.map(() => 'Add'),
    );
    await t.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'create', StackName: STACK }));
    await waitUntilStackCreateComplete(
      { client: t.cfn, maxWaitTime: 60, minDelay: 0.2, maxDelay: 0.5 },
      { StackName: STACK },
    );

    const deployed = await stack();
    const outputs = Object.fromEntries(
      deployed.Outputs!.map((output) => [output.OutputKey, output.OutputValue]),
    );
    expect(outputs.EndpointName).toBe(ENDPOINT);
    expect(outputs.EndpointArn).toBe(`arn:aws:sagemaker:us-east-1:000000000000:endpoint/${ENDPOINT}`);
    expect(deployed.Parameters).toContainEqual({
      ParameterKey: 'BootstrapVersion',
      ParameterValue: '/cdk-bootstrap/hnb659fds/version',
      ResolvedValue: expect.any(String),
    });
    const endpoint = await t.sagemaker.send(new DescribeEndpointCommand({ EndpointName: ENDPOINT }));
    expect(endpoint).toMatchObject({
      EndpointStatus: 'InService',
      ProductionVariants: [
        { VariantName: 'AllTraffic', CurrentInstanceCount: 1, DesiredInstanceCount: 1, CurrentWeight: 1 },
      ],
    });
    const ssm = await t.ssm.send(new GetParameterCommand({ Name: `/mlops/${STACK}/endpoint-name` }));
    expect(ssm.Parameter!.Value).toBe(ENDPOINT);

    const { variant, values } = await predict(model.testRows);
    expect(variant).toBe('AllTraffic');
    expect(values).toHaveLength(model.testLabels.length);
    expect(Math.abs(rmse(model.testLabels, values) - model.evaluationRmse)).toBeLessThan(1e-6);
  });

  test('the same template and parameters again: the change set FAILS with no changes and nothing else happens', async () => {
    const before = await stack();
    const eventCount = (await t.cfn.send(new DescribeStackEventsCommand({ StackName: STACK }))).StackEvents!
      .length;
    const again = await changeSet('again', 'v1', 'UPDATE');
    expect(again).toMatchObject({
      Status: 'FAILED',
      StatusReason: NO_CHANGES,
      ExecutionStatus: 'UNAVAILABLE',
      Changes: [],
    });
    expect(await stack()).toEqual(before);
    expect((await t.cfn.send(new DescribeStackEventsCommand({ StackName: STACK }))).StackEvents!.length).toBe(
      eventCount,
    );
  });

  test('an update to a corrupt model rolls back while concurrent invocations keep being answered by the old model', async () => {
    const resourcesBefore = (await t.cfn.send(new DescribeStackResourcesCommand({ StackName: STACK })))
      .StackResources!;
    const physical = (resources: typeof resourcesBefore) =>
      Object.fromEntries(
        resources.map((resource) => [resource.LogicalResourceId, resource.PhysicalResourceId]),
      );
    const endpointBefore = await t.sagemaker.send(new DescribeEndpointCommand({ EndpointName: ENDPOINT }));
    const rows = model.testRows.slice(0, 50);
    const expected = (await predict(rows)).values;

    const update = await changeSet('corrupt', 'corrupt', 'UPDATE');
    expect(update.Status).toBe('CREATE_COMPLETE');
    expect(
      update.Changes!.map((change) => [
        change.ResourceChange!.LogicalResourceId,
        change.ResourceChange!.Replacement,
      ]),
    ).toEqual([
      ['Model', 'True'],
      ['EndpointConfig', 'True'],
      ['Endpoint', 'False'],
    ]);

    // Callers without retries, so any error surfaces.
    const strict = createClient(SageMakerRuntimeClient, {
      endpoint: t.aws.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    let updating = true;
    const errors: unknown[] = [];
    const wrong: string[] = [];
    let calls = 0;
    const caller = async (offset: number) => {
      for (let index = offset; updating; index = (index + 1) % rows.length) {
        try {
          const { values } = await predict([rows[index]!], strict);
          if (values[0] !== expected[index]) wrong.push(`row ${index}: ${values[0]} != ${expected[index]}`);
        } catch (error) {
          errors.push(error);
        }
        calls++;
      }
    };
    const callers = [0, 10, 20, 30].map(caller);
    await t.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'corrupt', StackName: STACK }));
    const rolledBack = await poll(stack, (current) => !/IN_PROGRESS$/.test(current.StackStatus!), 60_000);
    updating = false;
    await Promise.all(callers);

    expect(rolledBack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(errors).toEqual([]);
    expect(wrong).toEqual([]);
    expect(calls).toBeGreaterThan(20);

    const events = (await t.cfn.send(new DescribeStackEventsCommand({ StackName: STACK }))).StackEvents!;
    const failure = events.find(
      (event) => event.LogicalResourceId === 'Endpoint' && event.ResourceStatus === 'UPDATE_FAILED',
    );
    expect(failure?.ResourceStatusReason).toContain('did not pass the ping health check');
    expect(
      events.find((event) => event.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')?.ResourceStatusReason,
    ).toBe('The following resource(s) failed to update: [Endpoint]. ');
    const endpoint = await t.sagemaker.send(new DescribeEndpointCommand({ EndpointName: ENDPOINT }));
    expect(endpoint.EndpointStatus).toBe('InService');
    expect(endpoint.EndpointConfigName).toBe(endpointBefore.EndpointConfigName);
    expect(endpoint.FailureReason).toContain('did not pass the ping health check');
    const resourcesAfter = (await t.cfn.send(new DescribeStackResourcesCommand({ StackName: STACK })))
      .StackResources!;
    expect(physical(resourcesAfter)).toEqual(physical(resourcesBefore));
    // The replacement model and config were cleaned up; the old ones remain.
    const models = (await t.sagemaker.send(new ListModelsCommand({}))).Models!.map(
      (entry) => entry.ModelName,
    );
    expect(models.map((name) => name!.toLowerCase())).toEqual([
      physical(resourcesBefore).Model!.split('/').pop(),
    ]);
    const configs = (await t.sagemaker.send(new ListEndpointConfigsCommand({}))).EndpointConfigs!.map(
      (entry) => entry.EndpointConfigName,
    );
    expect(configs).toEqual([endpointBefore.EndpointConfigName]);
    expect((await stack()).Parameters).toContainEqual({
      ParameterKey: 'ModelDataUrl',
      ParameterValue: 's3://models/v1/model.tar.gz',
    });
    expect((await predict(rows)).values).toEqual(expected);
  });

  test("cdk-model-deploy's synthesized template deploys unchanged (model name from SSM)", async () => {
    const template = synthesizeEndpointTemplate();
    await t.sagemaker.send(
      new CreateModelCommand({
        ModelName: 'abalone-from-pipeline',
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/sagemaker',
        PrimaryContainer: { Image: XGBOOST_IMAGE, ModelDataUrl: 's3://models/v1/model.tar.gz' },
      }),
    );
    await t.ssm.send(
      new PutParameterCommand({
        Name: '/mlops/abalone/model-name',
        Type: 'String',
        Value: 'abalone-from-pipeline',
        Overwrite: true,
      }),
    );
    const { Id } = await t.cfn.send(
      new CreateChangeSetCommand({
        StackName: 'cdk-endpoint',
        ChangeSetName: 'create',
        ChangeSetType: 'CREATE',
        TemplateBody: JSON.stringify(template),
        Parameters: [{ ParameterKey: 'StageName', ParameterValue: 'local' }],
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    await waitUntilChangeSetCreateComplete(
      { client: t.cfn, maxWaitTime: 30, minDelay: 0.1, maxDelay: 0.2 },
      { ChangeSetName: Id },
    );
    await t.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    const created = await poll(
      () => stack('cdk-endpoint'),
      (current) => !/IN_PROGRESS$/.test(current.StackStatus!),
      60_000,
    );
    expect(created.StackStatus).toBe('CREATE_COMPLETE');
    const endpointName = created.Outputs!.find((output) => output.OutputKey === 'EndpointName')!.OutputValue!;
    expect(endpointName).toBe('abalone-local');
    const response = await t.runtime.send(
      new InvokeEndpointCommand({
        EndpointName: endpointName,
        ContentType: 'text/csv',
        Body: model.testRows[0]!,
      }),
    );
    expect(Number(Buffer.from(response.Body!).toString())).toBeCloseTo(
      Number((await predict([model.testRows[0]!])).values[0]),
      6,
    );

    await t.cfn.send(new DeleteStackCommand({ StackName: 'cdk-endpoint' }));
    await poll(
      () => stack(created.StackId),
      (current) => current.StackStatus === 'DELETE_COMPLETE',
    );
    const gone = await t.sagemaker
      .send(new DescribeEndpointCommand({ EndpointName: endpointName }))
      .catch((error: Error) => error);
    expect((gone as Error).message).toContain('Could not find endpoint');
  });
});
