import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceConflictException,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { useLocalAws } from './harness';

const harness = useLocalAws();
const FIXTURES = path.join(__dirname, 'fixtures', 'handlers');
const ROLE = 'arn:aws:iam::000000000000:role/local-lambda';
let lambda: LambdaClient;

beforeAll(() => {
  lambda = harness.client(LambdaClient, { maxAttempts: 1 });
});

async function invoke(functionName: string, event: unknown) {
  const result = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(event) }),
  );
  return {
    ...result,
    body: JSON.parse(Buffer.from(result.Payload ?? []).toString()) as Record<string, unknown>,
  };
}

describe('local Lambda through the SDK v3 client', () => {
  it('runs record-model-name, which writes the model name to SSM through the local endpoint', async () => {
    const result = await invoke('record-model-name', {
      model_name: 'abalone-model-1',
      parameter_name: '/mlops/test/model-name',
    });
    expect(result.FunctionError).toBeUndefined();
    expect(result.body).toEqual({
      model_name: 'abalone-model-1',
      parameter_name: '/mlops/test/model-name',
      parameter_version: 1,
    });
    const ssm = harness.client(SSMClient);
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/mlops/test/model-name' }));
    expect(Parameter?.Value).toBe('abalone-model-1');

    const byArn = await invoke('arn:aws:lambda:us-east-1:000000000000:function:record-model-name', {
      model_name: 'abalone-model-2',
      parameter_name: '/mlops/test/model-name',
    });
    expect(byArn.body.parameter_version).toBe(2);
  }, 20_000);

  it('answers a handler error with FunctionError Unhandled and the AWS error payload', async () => {
    const result = await invoke('record-model-name', { parameter_name: '/mlops/test/model-name' });
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    expect(result.body).toMatchObject({
      errorType: 'Error',
      errorMessage: expect.stringContaining('event.model_name must be a non-empty string'),
      trace: expect.any(Array),
    });
  });

  it('registers a local handler module with CreateFunction and runs it with its environment', async () => {
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'echo',
        Role: 'arn:aws:iam::000000000000:role/any',
        Runtime: 'nodejs20.x',
        Handler: `${FIXTURES}.echo`,
        Code: {},
        Environment: { Variables: { GREETING: 'hi' } },
      }),
    );
    expect(created.FunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:echo');
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: JSON.stringify({ n: 1 }), LogType: 'Tail' }),
    );
    expect(JSON.parse(Buffer.from(result.Payload!).toString())).toEqual({
      event: { n: 1 },
      greeting: 'hi',
      endpoint: harness.aws().endpoint,
    });
    expect(Buffer.from(result.LogResult!, 'base64').toString()).toContain('echo handler called');

    const fetched = await lambda.send(new GetFunctionCommand({ FunctionName: 'echo' }));
    expect(fetched.Configuration).toMatchObject({
      FunctionName: 'echo',
      Handler: `${FIXTURES}.echo`,
      Runtime: 'nodejs20.x',
    });
    const { Functions } = await lambda.send(new ListFunctionsCommand({}));
    expect(Functions?.map((f) => f.FunctionName)).toEqual(['echo', 'record-model-name']);
    await expect(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'echo',
          Role: ROLE,
          Handler: `${FIXTURES}.echo`,
          Code: {},
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceConflictException);

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'echo' }));
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: 'echo' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('reports thrown errors, crashes and timeouts as Unhandled function errors', async () => {
    const create = (name: string, exportName: string, timeout = 3) =>
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Role: ROLE,
          Handler: `${FIXTURES}.${exportName}`,
          Code: {},
          Timeout: timeout,
        }),
      );
    await create('fails', 'fail');
    await create('crashes', 'crash');
    await create('sleeps', 'sleep', 1);
    expect((await invoke('fails', {})).body).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'the fixture handler failed on purpose',
    });
    const crashed = await invoke('crashes', {});
    expect(crashed).toMatchObject({ FunctionError: 'Unhandled', body: { errorType: 'Runtime.ExitError' } });
    const timedOut = await invoke('sleeps', { ms: 5000 });
    expect(timedOut).toMatchObject({
      FunctionError: 'Unhandled',
      body: { errorMessage: expect.stringContaining('Task timed out after 1.00 seconds') },
    });
    // The function recovers: a new worker serves the next call.
    expect((await invoke('sleeps', { ms: 1 })).body).toBe('slept');
  }, 20_000);

  it('runs an edited handler at once and reports one that does not compile as Runtime.UserCodeSyntaxError', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-edit-'));
    const module = path.join(folder, 'edited.ts');
    // A function created anew (new LastModified) gets a new worker, built from the sources as they are now.
    const recreate = async (source: string) => {
      await lambda.send(new DeleteFunctionCommand({ FunctionName: 'edited' })).catch(() => undefined);
      fs.writeFileSync(module, source);
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'edited',
          Role: ROLE,
          Handler: `${folder}/edited.handler`,
          Code: {},
        }),
      );
    };
    try {
      await recreate("export const handler = async (): Promise<string> => 'first';\n");
      expect((await invoke('edited', {})).body).toBe('first');
      await recreate("export const handler = async (): Promise<string> => 'second';\n");
      expect((await invoke('edited', {})).body).toBe('second');
      await recreate('export const handler = async (: string => ;\n');
      expect(await invoke('edited', {})).toMatchObject({
        FunctionError: 'Unhandled',
        body: {
          errorType: 'Runtime.UserCodeSyntaxError',
          errorMessage: expect.stringContaining('edited.ts:1: '),
        },
      });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }, 30_000);

  it('refuses bad registrations and unknown functions with the Lambda error codes', async () => {
    await expect(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'nowhere',
          Role: ROLE,
          Handler: '/no/such/module.handler',
          Code: {},
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('/no/such/module'),
    });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'missing' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('lets other providers invoke in-process (deps.lambda)', async () => {
    const result = await harness.aws().deps.lambda.invoke({
      functionName: 'record-model-name',
      payload: { model_name: 'from-deps', parameter_name: '/mlops/test/deps' },
    });
    expect(result.payload).toEqual({
      model_name: 'from-deps',
      parameter_name: '/mlops/test/deps',
      parameter_version: 1,
    });
    expect(harness.aws().deps.ssm.getParameter('/mlops/test/deps').Value).toBe('from-deps');
  });

  it('reports State and LastUpdateStatus, pages ListFunctions and honours Qualifier', async () => {
    for (const name of ['page-a', 'page-b']) {
      await lambda.send(
        new CreateFunctionCommand({ FunctionName: name, Role: ROLE, Handler: `${FIXTURES}.echo`, Code: {} }),
      );
    }
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'page-a' }));
    expect(got.Configuration).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });

    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await lambda.send(
        new ListFunctionsCommand({ MaxItems: 1, ...(marker ? { Marker: marker } : {}) }),
      );
      expect(page.Functions).toHaveLength(1);
      names.push(page.Functions![0]!.FunctionName!);
      marker = page.NextMarker;
    } while (marker);
    expect(names).toEqual(expect.arrayContaining(['page-a', 'page-b', 'record-model-name']));
    expect(new Set(names).size).toBe(names.length);

    const latest = await lambda.send(
      new InvokeCommand({ FunctionName: 'page-a', Qualifier: '$LATEST', Payload: Buffer.from('{}') }),
    );
    expect(latest).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    await expect(
      lambda.send(new InvokeCommand({ FunctionName: 'page-a', Qualifier: '7', Payload: Buffer.from('{}') })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: expect.stringContaining('function:page-a:7'),
    });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'page-a:prod' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
