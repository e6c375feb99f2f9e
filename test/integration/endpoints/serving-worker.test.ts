import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CreateEndpointCommand, DescribeEndpointCommand } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, ModelError } from '@aws-sdk/client-sagemaker-runtime';

import { buildAbaloneModel, rmse, type AbaloneModel } from './abalone-model';
import { createEndpointConfig, createModel, uploadModels } from './hosting';
import { poll, startTestAws, type TestAws } from './local-aws';

jest.setTimeout(60_000);

let t: TestAws;
let model: AbaloneModel;

beforeAll(async () => {
  t = await startTestAws();
  model = await buildAbaloneModel(path.join(t.dir, 'model'));
  await uploadModels(t, {
    good: { file: model.modelTarGz },
    'reg-linear': { file: model.regLinearTarGz },
  });
});

afterAll(async () => {
  await t?.stop();
});

/** Model, config and endpoint `name` serving models/<key>/model.tar.gz; resolves once it is InService. */
async function deploy(name: string, key: string) {
  await createModel(t, name, key);
  await createEndpointConfig(t, name, name);
  await t.sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
  const endpoint = await poll(
    () => status(name),
    (value) => value !== 'Creating',
  );
  expect(endpoint).toBe('InService');
}

const status = async (name: string) =>
  (await t.sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }))).EndpointStatus;

async function invoke(name: string, body: string): Promise<string> {
  const response = await t.runtime.send(
    new InvokeEndpointCommand({ EndpointName: name, ContentType: 'text/csv', Body: body }),
  );
  return Buffer.from(response.Body ?? new Uint8Array()).toString('utf8');
}

async function modelError(name: string, body: string): Promise<ModelError> {
  const error = await invoke(name, body).then(
    () => new Error('expected the invocation to fail'),
    (caught: unknown) => caught,
  );
  if (error instanceof ModelError) return error;
  throw error;
}

const endpointDir = (name: string) => path.join(t.stateDir, 'sagemaker', 'endpoints', name);
const log = (name: string) => fs.readFileSync(path.join(endpointDir(name), 'logs', 'AllTraffic.log'), 'utf8');

/** Process ids of the serving workers of endpoint `name`. */
function workerPids(name: string): number[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('xgboost-serving-worker.py') && line.includes(`${endpointDir(name)}/`))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

function onlyWorker(name: string): number {
  const pids = workerPids(name);
  expect(pids).toHaveLength(1);
  return pids[0]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the serving worker of local endpoints', () => {
  test("what a library prints on stdout (XGBoost's reg:linear warning) goes to the endpoint log, not into the protocol", async () => {
    await deploy('linear', 'reg-linear');
    const predictions = (await invoke('linear', model.testRows.join('\n'))).split('\n').map(Number);
    expect(predictions).toHaveLength(model.testRows.length);
    // reg:linear is the old name of reg:squarederror: the same model as the pipeline's.
    expect(Math.abs(rmse(model.testLabels, predictions) - model.evaluationRmse)).toBeLessThan(1e-6);
    expect(log('linear')).toMatch(/WARNING: .*reg:linear is now deprecated in favor of reg:squarederror/);
  });

  test('a worker killed mid-request: that request gets a ModelError without an answer (0), the worker restarts and the endpoint keeps serving', async () => {
    await deploy('crash', 'good');
    const expected = await invoke('crash', model.testRows[0]!);
    const pid = onlyWorker('crash');
    // A stopped worker holds the request; killing it then is a death in the middle of a prediction.
    process.kill(pid, 'SIGSTOP');
    const inFlight = modelError('crash', model.testRows[0]!);
    await sleep(500);
    process.kill(pid, 'SIGKILL');
    const lost = await inFlight;
    expect(lost.$metadata.httpStatusCode).toBe(424);
    expect(lost.OriginalStatusCode).toBe(0);
    expect(lost.OriginalMessage).toMatch(
      new RegExp(
        `^Amazon SageMaker could not get a response from the crash endpoint: the serving worker \\(pid ${pid}\\) was killed by SIGKILL while predicting`,
      ),
    );
    expect(lost.message).toMatch(/^Received server error \(0\) from primary with message "Amazon SageMaker/);

    // The restart begins at once; invocations wait for it.
    expect(await invoke('crash', model.testRows[0]!)).toBe(expected);
    expect(await invoke('crash', model.testRows.slice(0, 5).join('\n'))).toMatch(/^(\d+\.\d+\n){4}\d+\.\d+$/);
    expect(await status('crash')).toBe('InService');
    expect(onlyWorker('crash')).not.toBe(pid);
    expect(log('crash')).toMatch(
      new RegExp(
        `the serving worker \\(pid ${pid}\\) was killed by SIGKILL; restarting it\\n[^]*the serving worker restarted \\(pid \\d+\\) and serves again`,
      ),
    );
  });

  test('a worker whose model no longer loads is restarted after a back-off; meanwhile invocations fail at once', async () => {
    await deploy('crash-loop', 'good');
    const expected = await invoke('crash-loop', model.testRows[1]!);
    const [modelFile] = fs
      .readdirSync(endpointDir('crash-loop'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith(`model${path.sep}xgboost-model`))
      .map((file) => path.join(endpointDir('crash-loop'), file));
    const away = path.join(t.dir, 'xgboost-model.away');
    fs.renameSync(modelFile!, away);
    process.kill(onlyWorker('crash-loop'), 'SIGKILL');

    // The first restart is at once; when it fails, the next waits 0.5 s (then 1 s, 2 s, ... up to 30 s).
    await poll(
      async () => log('crash-loop'),
      (text) => text.includes('could not be restarted'),
      10_000,
    );
    expect(log('crash-loop')).toMatch(
      /was killed by SIGKILL; restarting it\n[^]*could not be restarted: model\.tar\.gz holds no model file[^\n]*; restarting it in 0\.5 s\n/,
    );
    const down = await modelError('crash-loop', model.testRows[1]!);
    expect(down.OriginalStatusCode).toBe(0);
    expect(down.OriginalMessage).toMatch(
      /could not get a response from the crash-loop endpoint: the serving worker could not be restarted: model\.tar\.gz holds no model file.*; the next restart is in \d+\.\d s; see .*AllTraffic\.log$/,
    );
    expect(await status('crash-loop')).toBe('InService');

    fs.renameSync(away, modelFile!);
    const served = await poll(
      () => invoke('crash-loop', model.testRows[1]!).catch((error: Error) => error.message),
      (answer) => answer === expected,
      10_000,
    );
    expect(served).toBe(expected);
    expect(log('crash-loop')).toMatch(/the serving worker restarted \(pid \d+\) and serves again\n$/);
    // Not a spin: at most one more failed attempt while the test restored the model.
    expect(log('crash-loop').match(/could not be restarted/g)!.length).toBeLessThanOrEqual(2);
  });
});
