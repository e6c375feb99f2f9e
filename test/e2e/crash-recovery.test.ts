import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeEndpointCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineExecutionsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

import { createClient } from '../../src/aws/clients';
import { CLI, cliEnv, type LocalServer, startLocalServer, stopLocalServer } from './local-server';

/**
 * kill -9 of the local AWS (a separate `mlops local start`) at several points of `mlops run` against it:
 * during a pipeline step, during registration, during the first deploy (endpoint Creating) and during an update deploy
 * (endpoint Updating). After each, the server restarts on the same state dir and the run is repeated:
 * the state reads back, nothing is quarantined, no process of the killed server is left, no SageMaker
 * resource is orphaned, and the next run succeeds.
 */
jest.setTimeout(15 * 60_000);

const STACK = 'abalone-endpoint-local';
const ENDPOINT = 'abalone-local';
const PIPELINE = 'abalone-pipeline';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-crash-'));
const stateDir = path.join(dir, 'state');
const figures: string[] = [];

type Server = LocalServer;

let server: Server | undefined;

afterAll(async () => {
  if (server) await stopServer(server);
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`crash-recovery figures:\n${figures.map((line) => `  ${line}`).join('\n')}\n`);
});

let serverEnv: Record<string, string> = {};
const startServer = () => startLocalServer({ stateDir, cwd: dir, env: serverEnv });
const stopServer = stopLocalServer;

/** Every process below a pid (jobs, serving workers, Lambda workers). */
function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of table)
      if (ppid === parent) {
        found.push(child);
        visit(child);
      }
  };
  visit(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** kill -9 of the server; resolves with the processes it had started, for the leftover check. */
async function killServer(running: Server): Promise<number[]> {
  const children = descendants(running.child.pid!);
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill('SIGKILL');
  await exited;
  return children;
}

interface Run {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; output: string }>;
}

function startRun(endpoint: string): Run {
  const child = spawn(process.execPath, [CLI, 'run', '--build-dir', path.join(dir, 'build')], {
    cwd: dir,
    env: cliEnv({ AWS_ENDPOINT_URL: endpoint }),
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, output })),
  );
  return { child, done };
}

function clients(endpoint: string) {
  const options = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  return {
    sagemaker: createClient(SageMakerClient, options),
    cfn: createClient(CloudFormationClient, options),
    runtime: createClient(SageMakerRuntimeClient, options),
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 240_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function stepExecuting(endpoint: string, step: string): Promise<true | undefined> {
  const { sagemaker } = clients(endpoint);
  const { PipelineExecutionSummaries = [] } = await sagemaker.send(
    new ListPipelineExecutionsCommand({
      PipelineName: PIPELINE,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
    }),
  );
  const latest = PipelineExecutionSummaries[0]?.PipelineExecutionArn;
  if (!latest) return undefined;
  const { PipelineExecutionSteps = [] } = await sagemaker.send(
    new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: latest }),
  );
  return PipelineExecutionSteps.some((entry) => entry.StepName === step && entry.StepStatus === 'Executing')
    ? true
    : undefined;
}

/** Delays every call to one service of the running local AWS (its `/_mlops/faults` control route). */
async function slowService(endpoint: string, service: string, latencyMs: number): Promise<void> {
  const response = await fetch(`${endpoint}/_mlops/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs, services: [service] }),
  });
  expect(response.status).toBe(200);
}

async function endpointStatus(endpoint: string, status: string): Promise<true | undefined> {
  const described = await clients(endpoint).sagemaker.send(
    new DescribeEndpointCommand({ EndpointName: ENDPOINT }),
  );
  return described.EndpointStatus === status ? true : undefined;
}

/** The stack once no operation is in progress (recovery runs in the background after a restart). */
async function settledStack(endpoint: string) {
  return until('the stack to settle', async () => {
    const { Stacks = [] } = await clients(endpoint).cfn.send(new DescribeStacksCommand({ StackName: STACK }));
    const stack = Stacks[0];
    return stack && !stack.StackStatus!.endsWith('_IN_PROGRESS') ? stack : undefined;
  });
}

/** SageMaker endpoints, endpoint configs and (non-pipeline) models that no stack owns. */
async function orphans(endpoint: string): Promise<string[]> {
  const { sagemaker, cfn } = clients(endpoint);
  const owned = new Set<string>();
  const stacks = await cfn.send(new DescribeStacksCommand({}));
  for (const stack of stacks.Stacks ?? []) {
    const { StackResources = [] } = await cfn.send(
      new DescribeStackResourcesCommand({ StackName: stack.StackName }),
    );
    for (const resource of StackResources)
      if (resource.PhysicalResourceId) owned.add(resource.PhysicalResourceId);
  }
  const endpoints = (await sagemaker.send(new ListEndpointsCommand({}))).Endpoints ?? [];
  const configs = (await sagemaker.send(new ListEndpointConfigsCommand({}))).EndpointConfigs ?? [];
  // Models the pipeline's CreateModel step makes belong to executions, not to a stack.
  const models = ((await sagemaker.send(new ListModelsCommand({}))).Models ?? []).filter(
    (model) => !model.ModelName!.startsWith('pipelines-'),
  );
  return [
    ...endpoints.map((entry) => entry.EndpointArn!),
    ...configs.map((entry) => entry.EndpointConfigArn!),
    ...models.map((entry) => entry.ModelArn!),
  ].filter((arn) => !owned.has(arn));
}

/** Restarts on the same state dir and checks what every crash point must leave. */
async function restartAndCheck(killedChildren: readonly number[]): Promise<Server> {
  const restarted = await startServer();
  // The killed server's jobs and workers end when they notice their parent is gone (PR_SET_PDEATHSIG, a
  // closed stdin): give them a few seconds on a busy machine, then none may be left.
  const deadline = Date.now() + 5000;
  while (killedChildren.some(alive) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(killedChildren.filter(alive)).toEqual([]);
  expect(fs.existsSync(path.join(stateDir, 'quarantine'))).toBe(false);
  return restarted;
}

async function crashDuring(label: string, reached: (endpoint: string) => Promise<true | undefined>) {
  const run = startRun(server!.endpoint);
  const started = Date.now();
  await until(label, () => reached(server!.endpoint));
  const reachedAfter = (Date.now() - started) / 1000;
  const killedChildren = await killServer(server!);
  const ended = await endRun(run);
  figures.push(`killed during ${label} after ${reachedAfter.toFixed(1)}s; the run ${ended}`);
  server = await restartAndCheck(killedChildren);
}

/**
 * The client run loses its local AWS: it keeps retrying (as against a flaky network), so it is stopped as a
 * person would: Ctrl-C (SIGINT) if it has not given up within two seconds, and Ctrl-C again (what the CLI
 * says forces it) if it is still winding down two seconds later.
 */
async function endRun(run: Run): Promise<string> {
  const within = (ms: number) =>
    Promise.race([run.done, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);
  const own = await within(2000);
  if (own) return `exited ${own.code} on its own`;
  run.child.kill('SIGINT');
  const interrupted = await within(2000);
  if (interrupted) return `was stopped with Ctrl-C (exit ${interrupted.code})`;
  run.child.kill('SIGINT');
  const forced = await within(10_000);
  if (forced) return `was stopped with a second Ctrl-C (exit ${forced.code})`;
  run.child.kill('SIGKILL');
  await run.done;
  return 'ignored two Ctrl-Cs and was killed';
}

async function runSucceeds(label: string): Promise<void> {
  const started = Date.now();
  const { code, output } = await startRun(server!.endpoint).done;
  if (code !== 0) throw new Error(`${label}: mlops run exited ${code}:\n${output.slice(-3000)}`);
  figures.push(`${label}: mlops run succeeded in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

describe('kill -9 of the local AWS during mlops run', () => {
  it('recovers at every crash point and the next run succeeds', async () => {
    server = await startServer();

    await crashDuring('a pipeline step (Train executing)', (endpoint) => stepExecuting(endpoint, 'Train'));

    // Registration: the package is registered and the Lambda step is recording the model name. That step
    // takes well under a second, so its SSM call is slowed (fault settings, gone with the restart) to give
    // the probe a window of seconds.
    await slowService(server.endpoint, 'ssm', 4000);
    // The deploy crash points probe an endpoint Creating or Updating, which lasts as long as its serving
    // worker takes to start: forked warm that is a few hundred ms, too short to kill the server within on
    // a busy machine; the servers from the next restart on start their Python cold (the plain-spawn path).
    serverEnv = { MLOPS_FORK_SERVER: 'off' };
    await crashDuring('registration (package registered, RecordModelName executing)', (endpoint) =>
      stepExecuting(endpoint, 'RecordModelName'),
    );

    await crashDuring('the first deploy (endpoint Creating)', (endpoint) =>
      endpointStatus(endpoint, 'Creating'),
    );
    const rolledBack = await settledStack(server.endpoint);
    expect(rolledBack.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(await orphans(server.endpoint)).toEqual([]);

    await runSucceeds('rerun after the create crash');
    const { sagemaker } = clients(server.endpoint);
    const served = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: ENDPOINT }));

    await crashDuring('an update deploy (endpoint Updating)', (endpoint) =>
      endpointStatus(endpoint, 'Updating'),
    );
    const reverted = await settledStack(server.endpoint);
    expect(reverted.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const back = await clients(server.endpoint).sagemaker.send(
      new DescribeEndpointCommand({ EndpointName: ENDPOINT }),
    );
    expect(back).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: served.EndpointConfigName,
    });
    const rows = fs
      .readFileSync(path.join(dir, 'build', 'test-features.csv'), 'utf8')
      .split('\n')
      .slice(0, 3);
    const answer = await clients(server.endpoint).runtime.send(
      new InvokeEndpointCommand({ EndpointName: ENDPOINT, ContentType: 'text/csv', Body: rows.join('\n') }),
    );
    expect(Buffer.from(answer.Body!).toString().split('\n').filter(Boolean)).toHaveLength(3);
    expect(await orphans(server.endpoint)).toEqual([]);

    await runSucceeds('rerun after the update crash');
    expect(await orphans(server.endpoint)).toEqual([]);
  });
});
