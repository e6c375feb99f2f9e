import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  ListEndpointsCommand,
  UpdateEndpointCommand,
  type DescribeEndpointCommandOutput,
} from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointCommand,
  ModelError,
  SageMakerRuntimeClient,
  type InvokeEndpointCommandInput,
} from '@aws-sdk/client-sagemaker-runtime';

import { createClient } from '../../../src/aws/clients';

import { buildAbaloneModel, type AbaloneModel } from './abalone-model';
import { createEndpointConfig, createModel, uploadModels } from './hosting';
import { XGBOOST_IMAGE, poll, startTestAws, type TestAws } from './local-aws';

jest.setTimeout(60_000);

let t: TestAws;
let model: AbaloneModel;

beforeAll(async () => {
  t = await startTestAws();
  model = await buildAbaloneModel(path.join(t.dir, 'model'));
  await uploadModels(t, {
    good: { file: model.modelTarGz },
    corrupt: { file: model.corruptTarGz },
    garbage: { body: 'not a tar archive' },
  });
});

afterAll(async () => {
  await t?.stop();
});

const describe_ = (name: string) => t.sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }));
const settled = (name: string) =>
  poll(
    () => describe_(name),
    (endpoint: DescribeEndpointCommandOutput) =>
      !/Creating|Updating|RollingBack/.test(endpoint.EndpointStatus ?? ''),
  );

async function invoke(input: Partial<InvokeEndpointCommandInput>) {
  const response = await t.runtime.send(
    new InvokeEndpointCommand({ EndpointName: 'serving', ContentType: 'text/csv', Body: '', ...input }),
  );
  return { ...response, text: Buffer.from(response.Body ?? new Uint8Array()).toString('utf8') };
}

async function failure(input: Partial<InvokeEndpointCommandInput>) {
  try {
    await invoke(input);
  } catch (error) {
    return error as Error & {
      name: string;
      $metadata: { httpStatusCode?: number };
      OriginalStatusCode?: number;
      OriginalMessage?: string;
    };
  }
  throw new Error('expected the invocation to fail');
}

/** Python serving workers whose model lives under this test's state directory. */
function servingWorkers(): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('xgboost-serving-worker.py') && line.includes(t.stateDir));
}

describe('local SageMaker endpoints and SageMaker Runtime', () => {
  test('an endpoint config needs existing models; an endpoint needs an existing config', async () => {
    const missingModel = await t.sagemaker
      .send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: 'nope',
          ProductionVariants: [
            {
              VariantName: 'AllTraffic',
              ModelName: 'absent',
              InitialInstanceCount: 1,
              InstanceType: 'ml.m5.large',
            },
          ],
        }),
      )
      .catch((error: Error) => error);
    expect(missingModel).toMatchObject({
      name: 'ValidationException',
      message: 'Could not find model "arn:aws:sagemaker:us-east-1:000000000000:model/absent".',
    });
    const missingConfig = await t.sagemaker
      .send(new CreateEndpointCommand({ EndpointName: 'nope', EndpointConfigName: 'absent' }))
      .catch((error: Error) => error);
    expect(missingConfig).toMatchObject({
      name: 'ValidationException',
      message:
        'Could not find endpoint configuration "arn:aws:sagemaker:us-east-1:000000000000:endpoint-config/absent".',
    });
  });

  test('an endpoint comes InService and answers CSV, JSON and JSON Lines with the same predictions', async () => {
    await createModel(t, 'good', 'good');
    await createEndpointConfig(t, 'good-config', 'good');
    const { EndpointArn } = await t.sagemaker.send(
      new CreateEndpointCommand({ EndpointName: 'serving', EndpointConfigName: 'good-config' }),
    );
    expect(EndpointArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:endpoint/serving');
    expect((await describe_('serving')).EndpointStatus).toBe('Creating');
    const endpoint = await settled('serving');
    expect(endpoint).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: 'good-config',
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          DeployedImages: [{ SpecifiedImage: XGBOOST_IMAGE, ResolvedImage: XGBOOST_IMAGE }],
          CurrentInstanceCount: 1,
          DesiredInstanceCount: 1,
          CurrentWeight: 1,
        },
      ],
    });
    expect(endpoint.CreationTime).toBeInstanceOf(Date);
    const { Endpoints } = await t.sagemaker.send(new ListEndpointsCommand({ StatusEquals: 'InService' }));
    expect(Endpoints!.map((entry) => entry.EndpointName)).toEqual(['serving']);

    const rows = model.testRows.slice(0, 3);
    const csv = await invoke({ Body: rows.join('\n'), CustomAttributes: 'trace=1' });
    expect(csv).toMatchObject({
      ContentType: 'text/csv',
      InvokedProductionVariant: 'AllTraffic',
      CustomAttributes: 'trace=1',
    });
    const expected = csv.text.split('\n').map(Number);
    expect(expected).toHaveLength(3);
    const matrix = rows.map((row) => row.split(',').map(Number));
    const json = await invoke({
      ContentType: 'application/json',
      Accept: 'application/json',
      Body: JSON.stringify({ instances: matrix }),
    });
    expect(JSON.parse(json.text)).toEqual({ predictions: expected.map((score) => ({ score })) });
    const features = matrix.map((features) => JSON.stringify({ features })).join('\n');
    const lines = await invoke({
      ContentType: 'application/jsonlines',
      Accept: 'application/jsonlines',
      Body: features,
    });
    expect(lines.ContentType).toBe('application/jsonlines');
    expect(lines.text.split('\n').map((line) => JSON.parse(line) as unknown)).toEqual(
      expected.map((score) => ({ score })),
    );
  });

  test('bad inputs get the container status inside a ModelError, the 6 MB limit a ValidationException, and the endpoint keeps serving', async () => {
    const nonNumeric = await failure({ Body: `${model.testRows[0]}\n0.5,abc,0.1,0.2,0.3,0.4,0.5,1,0,0` });
    expect(nonNumeric).toBeInstanceOf(ModelError);
    expect(nonNumeric.$metadata.httpStatusCode).toBe(424);
    expect(nonNumeric.OriginalStatusCode).toBe(415);
    expect(nonNumeric.OriginalMessage).toBe(
      'Loading csv data failed: row 2, column 2: "abc" is not a number; expected text/csv rows of numeric features',
    );
    expect(nonNumeric.message).toMatch(
      /^Received client error \(415\) from primary with message "Loading csv data failed: row 2, column 2/,
    );

    const wrongColumns = await failure({ Body: '0.5,0.4,0.1' });
    expect(wrongColumns.OriginalStatusCode).toBe(400);
    expect(wrongColumns.OriginalMessage).toContain('Feature shape mismatch, expected: 10, got 3');

    const ragged = await failure({ Body: `${model.testRows[0]}\n1,2` });
    expect(ragged.OriginalStatusCode).toBe(415);
    expect(ragged.OriginalMessage).toContain('row 2 has 2 columns but row 1 has 10');

    const unknownType = await failure({ ContentType: 'text/libsvm', Body: '1:0.5 2:0.3' });
    expect(unknownType.OriginalStatusCode).toBe(415);
    expect(unknownType.OriginalMessage).toBe(
      'Content-Type text/libsvm is not supported by the sagemaker-xgboost serving runtime; use one of text/csv, application/json, application/jsonlines',
    );
    const unknownAccept = await failure({
      Accept: 'application/x-recordio-protobuf',
      Body: model.testRows[0]!,
    });
    expect(unknownAccept.OriginalStatusCode).toBe(415);

    const badJson = await failure({ ContentType: 'application/json', Body: '{"instances": [[1, 2' });
    expect(badJson.OriginalStatusCode).toBe(415);
    expect(badJson.OriginalMessage).toContain('Loading json data failed: the body is not valid JSON');

    const tooLarge = await failure({ Body: Buffer.alloc(7 * 1024 * 1024, '1') });
    // The model caps Body at 6 MB; the front door refuses it before any container sees it.
    expect(tooLarge.name).toBe('ValidationException');
    expect(tooLarge.$metadata.httpStatusCode).toBe(400);
    expect(tooLarge.message).toContain(
      "at 'body' failed to satisfy constraint: Member must have length less than or equal to 6291456",
    );

    const empty = await invoke({ Body: new Uint8Array(0) });
    expect(empty.text).toBe('');

    const unknownVariant = await failure({ TargetVariant: 'Shadow', Body: model.testRows[0]! });
    expect(unknownVariant.name).toBe('ValidationError');
    const unknownEndpoint = await failure({ EndpointName: 'absent', Body: model.testRows[0]! });
    expect(unknownEndpoint).toMatchObject({
      name: 'ValidationError',
      message: 'Endpoint absent of account 000000000000 not found.',
    });

    expect((await invoke({ Body: model.testRows[0]! })).text).toMatch(/^\d+\.\d+$/);
    expect((await describe_('serving')).EndpointStatus).toBe('InService');
  });

  test('a model with an unsupported image or an unreadable artifact leaves the endpoint Failed with the reason', async () => {
    await createModel(
      t,
      'torch',
      'good',
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1-cpu-py310',
    );
    await createEndpointConfig(t, 'torch-config', 'torch');
    await t.sagemaker.send(
      new CreateEndpointCommand({ EndpointName: 'torch', EndpointConfigName: 'torch-config' }),
    );
    const torch = await settled('torch');
    expect(torch.EndpointStatus).toBe('Failed');
    expect(torch.FailureReason).toMatch(
      /image .*pytorch-inference:2\.1-cpu-py310 is not supported by the local AWS for serving; supported images .*sagemaker-xgboost:\{.*1\.7-1/,
    );
    const notServing = await failure({ EndpointName: 'torch', Body: '1' });
    expect(notServing).toMatchObject({
      name: 'ValidationError',
      message: 'Endpoint torch of account 000000000000 is Failed; it must be InService to be invoked.',
    });

    await createModel(t, 'garbage', 'garbage');
    await createEndpointConfig(t, 'garbage-config', 'garbage');
    await t.sagemaker.send(
      new CreateEndpointCommand({ EndpointName: 'garbage', EndpointConfigName: 'garbage-config' }),
    );
    const garbage = await settled('garbage');
    expect(garbage.EndpointStatus).toBe('Failed');
    expect(garbage.FailureReason).toContain(
      'Failed to extract model data archive from URL "s3://models/garbage/model.tar.gz"',
    );
    await t.sagemaker.send(new DeleteEndpointCommand({ EndpointName: 'torch' }));
    await t.sagemaker.send(new DeleteEndpointCommand({ EndpointName: 'garbage' }));
  });

  test('UpdateEndpoint is blue/green: a model that fails /ping leaves the old config serving; a good one takes over', async () => {
    await createModel(t, 'corrupt', 'corrupt');
    await createEndpointConfig(t, 'corrupt-config', 'corrupt');
    await t.sagemaker.send(
      new UpdateEndpointCommand({ EndpointName: 'serving', EndpointConfigName: 'corrupt-config' }),
    );
    const updating = await describe_('serving');
    expect(updating.EndpointStatus).toBe('Updating');
    expect(updating.PendingDeploymentSummary?.EndpointConfigName).toBe('corrupt-config');
    expect((await invoke({ Body: model.testRows[0]! })).text).toMatch(/^\d/);
    const rolledBack = await settled('serving');
    expect(rolledBack.EndpointStatus).toBe('InService');
    expect(rolledBack.EndpointConfigName).toBe('good-config');
    expect(rolledBack.FailureReason).toMatch(
      /^The primary container for production variant AllTraffic did not pass the ping health check: Model at xgboost-model cannot be loaded/,
    );

    await createModel(t, 'good-again', 'good');
    await createEndpointConfig(t, 'good-again-config', 'good-again');
    // Callers without retries keep invoking while traffic moves to the new containers.
    const strict = createClient(SageMakerRuntimeClient, {
      endpoint: t.aws.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    let switching = true;
    const errors: unknown[] = [];
    let calls = 0;
    const caller = async () => {
      while (switching) {
        await strict
          .send(
            new InvokeEndpointCommand({
              EndpointName: 'serving',
              ContentType: 'text/csv',
              Body: model.testRows[1]!,
            }),
          )
          .catch((error: unknown) => errors.push(error));
        calls++;
      }
    };
    const callers = [caller(), caller(), caller(), caller()];
    await t.sagemaker.send(
      new UpdateEndpointCommand({ EndpointName: 'serving', EndpointConfigName: 'good-again-config' }),
    );
    const updated = await settled('serving');
    switching = false;
    await Promise.all(callers);
    expect(errors).toEqual([]);
    expect(calls).toBeGreaterThan(10);
    expect(updated).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'good-again-config' });
    expect(updated.FailureReason).toBeUndefined();
    expect(servingWorkers()).toHaveLength(1);
  });

  test('endpoints are served again after a restart of the local AWS, and stop() ends every serving process', async () => {
    const before = (await invoke({ Body: model.testRows[0]! })).text;
    await t.stop({ keepState: true });
    expect(servingWorkers()).toEqual([]);
    t = await startTestAws({ dir: t.dir });
    expect((await invoke({ Body: model.testRows[0]! })).text).toBe(before);
    expect(await describe_('serving')).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: 'good-again-config',
    });
    expect(servingWorkers()).toHaveLength(1);
  });

  test('an endpoint updated right after a restart, while it is still being restored, ends on the new config', async () => {
    await t.stop({ keepState: true });
    t = await startTestAws({ dir: t.dir });
    await t.sagemaker.send(
      new UpdateEndpointCommand({ EndpointName: 'serving', EndpointConfigName: 'good-config' }),
    );
    expect((await describe_('serving')).EndpointStatus).toBe('Updating');
    const updated = await settled('serving');
    expect(updated).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'good-config' });
    expect(updated.FailureReason).toBeUndefined();
    expect((await invoke({ Body: model.testRows[0]! })).text).toMatch(/^\d/);
    expect(servingWorkers()).toHaveLength(1);
  });
});
