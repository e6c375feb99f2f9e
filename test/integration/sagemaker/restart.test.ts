import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  DescribeModelPackageCommand,
  DescribePipelineCommand,
  DescribePipelineExecutionCommand,
  DescribeProcessingJobCommand,
  ListPipelineExecutionsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { LOCAL_CREDENTIALS } from '../../../local';
import type { ExecutionRecord } from '../../../local/engine/execution-record';
import { jobLogPath } from '../../../local/runtimes/job-directory';
import { StateStore } from '../../../local/state/store';
import { createClient } from '../../../src/aws/clients';
import {
  REPO_ROOT,
  createPipeline,
  executionSteps,
  getObjectText,
  putObject,
  scriptPipeline,
  startExecution,
  startLocalSageMaker,
  stopLocalSageMaker,
  waitForExecution,
  type LocalSageMaker,
} from './helpers';

jest.setTimeout(60_000);

describe('the local SageMaker across restarts', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-restart-'));
  let local: LocalSageMaker | undefined;
  let child: ChildProcess | undefined;

  afterAll(async () => {
    child?.kill('SIGKILL');
    await stopLocalSageMaker(local);
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('keeps pipelines, executions, model packages, parameters and objects over stop and start', async () => {
    local = await startLocalSageMaker(stateDir);
    await createPipeline(local, 'kept', await scriptPipeline(local, { name: 'kept', script: 'print("hi")' }));
    const arn = await startExecution(local, 'kept');
    await waitForExecution(local, arn);
    await local.sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'kept-models' }));
    const pkg = await local.sagemaker.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'kept-models',
        ModelApprovalStatus: 'Approved',
      }),
    );
    await local.ssm.send(new PutParameterCommand({ Name: '/kept/value', Value: 'v1', Type: 'String' }));
    await putObject(local, 's3://kept-bucket/file.txt', 'kept text');
    await stopLocalSageMaker(local, { keepState: true });

    local = await startLocalSageMaker(stateDir);
    const pipeline = await local.sagemaker.send(new DescribePipelineCommand({ PipelineName: 'kept' }));
    expect(pipeline.PipelineName).toBe('kept');
    const executions = await local.sagemaker.send(
      new ListPipelineExecutionsCommand({ PipelineName: 'kept' }),
    );
    expect(
      executions.PipelineExecutionSummaries?.map((e) => [e.PipelineExecutionArn, e.PipelineExecutionStatus]),
    ).toEqual([[arn, 'Succeeded']]);
    const described = await local.sagemaker.send(
      new DescribeModelPackageCommand({ ModelPackageName: pkg.ModelPackageArn }),
    );
    expect(described.ModelApprovalStatus).toBe('Approved');
    expect((await local.ssm.send(new GetParameterCommand({ Name: '/kept/value' }))).Parameter?.Value).toBe(
      'v1',
    );
    expect(await getObjectText(local, 's3://kept-bucket/file.txt')).toBe('kept text');
    await stopLocalSageMaker(local, { keepState: true });
    local = undefined;
  });

  it('survives kill -9 of the process running it mid-execution: state stays readable, a restart fails the execution', async () => {
    const { endpoint, process: server } = await spawnLocalAws(stateDir);
    child = server;
    const remote = remoteClients(endpoint);
    const script = ['import os, time', 'print("PID", os.getpid(), flush=True)', 'time.sleep(30)'].join('\n');
    await createPipeline(
      remote,
      'interrupted',
      await scriptPipeline(remote, { name: 'interrupted', script }),
    );
    const arn = await startExecution(remote, 'interrupted');
    const { pid, jobArn } = await waitForPid(remote, stateDir, arn);

    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));
    child = undefined;
    remote.sagemaker.destroy();
    const store = new StateStore(stateDir);
    const record = store.get<ExecutionRecord>('sagemaker/executions', arn);
    expect(record?.PipelineExecutionStatus).toBe('Executing');
    await waitUntilGone(pid);

    local = await startLocalSageMaker(stateDir);
    const execution = await local.sagemaker.send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }),
    );
    expect(execution.PipelineExecutionStatus).toBe('Failed');
    expect(execution.FailureReason).toMatch(/^The local AWS stopped while this execution was running/);
    expect((await executionSteps(local, arn)).Script).toMatchObject({ StepStatus: 'Failed' });
    const job = await local.sagemaker.send(
      new DescribeProcessingJobCommand({ ProcessingJobName: jobArn.split('/').pop() }),
    );
    expect(job.ProcessingJobStatus).toBe('Failed');
  });
});

/** Runs `mlops local start` in a child process and returns its endpoint. */
async function spawnLocalAws(stateDir: string): Promise<{ endpoint: string; process: ChildProcess }> {
  const server = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'bin/mlops.js'), 'local', 'start', '--port', '0', '--state-dir', stateDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local AWS did not start: ${output}`)), 20_000);
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.once('exit', (code) => reject(new Error(`the local AWS exited with ${code}: ${output}`)));
  });
  return { endpoint, process: server };
}

/** Clients for a local AWS running in another process. */
function remoteClients(endpoint: string): LocalSageMaker {
  const options = { endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
  return {
    aws: { region: 'us-east-1' } as LocalSageMaker['aws'],
    stateDir: '',
    sagemaker: createClient(SageMakerClient, options),
    s3: createClient(S3Client, options),
    ssm: createClient(SSMClient, options),
  };
}

/** The PID the execution's processing job printed (`PID <n>`) and the job's ARN. */
async function waitForPid(
  local: LocalSageMaker,
  stateDir: string,
  arn: string,
): Promise<{ pid: number; jobArn: string }> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const jobArn = (await executionSteps(local, arn)).Script?.Metadata?.ProcessingJob?.Arn;
    const log =
      jobArn && fs.existsSync(jobLogPath(stateDir, jobArn))
        ? fs.readFileSync(jobLogPath(stateDir, jobArn), 'utf8')
        : '';
    const match = /^PID (\d+)$/m.exec(log);
    if (jobArn && match) return { pid: Number(match[1]), jobArn };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`execution ${arn} never started its job`);
}

async function waitUntilGone(pid: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process ${pid} is still running`);
}
