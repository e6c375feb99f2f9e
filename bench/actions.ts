/**
 * The actions' bundles as the runner sees them: size on disk, cold start to the first AWS request
 * (median of 7 runs of `node dist/<action>/index.js`, against a server that records when the request
 * arrives and answers with an error so the process ends), and the API calls per minute wait-for-execution
 * makes while a long execution runs on the local AWS (default poll settings). For a fair comparison on a
 * busy machine, the same measurement runs on a floor bundle built alongside: @actions/core and the SageMaker
 * client only, sending one request (what the reference figures describe). Run with `npm run bench:actions`;
 * figures go to bench/results/actions.json.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  CreatePipelineCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';

import { LOCAL_CREDENTIALS, startLocalAws } from '../local';
import { abaloneDefaults, synthesizeAbalone, writeSynthResult } from '../pipeline/synth';
import { ACTIONS, DIST } from '../scripts/build-actions';
import { createClient } from '../src/aws/clients';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(__dirname, 'results', 'actions.json');
const RUNS = 7;
const LONG_STEP_SECONDS = 150;
/** aws-actions/aws-cloudformation-github-deploy, measured on this machine (reference/github-actions.md). */
const REFERENCE = {
  action: 'aws-cloudformation-github-deploy',
  bundleBytes: 3.75e6,
  files: 12,
  firstRequestMs: 255,
};

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const round = (value: number) => Math.round(value * 10) / 10;

function bundleSize(action: string): { bytes: number; files: number } {
  const dir = path.join(DIST, action);
  const files = fs.readdirSync(dir);
  return {
    files: files.length,
    bytes: files.reduce((total, file) => total + fs.statSync(path.join(dir, file)).size, 0),
  };
}

/** A server that notes the first request's arrival and answers every request with a 400 error. */
async function firstRequestServer(): Promise<{
  url: string;
  next(): Promise<bigint>;
  close(): Promise<void>;
}> {
  let waiting: ((at: bigint) => void) | undefined;
  const server = http.createServer((request, response) => {
    const at = process.hrtime.bigint();
    waiting?.(at);
    waiting = undefined;
    request.resume();
    response.writeHead(400, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': 'ValidationException',
    });
    response.end('{"__type":"ValidationException","message":"bench"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    next: () => new Promise((resolve) => (waiting = resolve)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function runOnce(script: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, script, { cwd: ROOT, env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
}

/** The least an action that talks to SageMaker loads: @actions/core and the client, one request. */
const FLOOR_SOURCE = `
const core = require('@actions/core');
const { SageMakerClient, DescribePipelineCommand } = require('@aws-sdk/client-sagemaker');
new SageMakerClient({}).send(new DescribePipelineCommand({ PipelineName: 'floor' })).catch((error) => core.info(String(error)));
`;

async function buildFloorBundle(dir: string): Promise<string> {
  const entry = path.join(ROOT, 'build', 'bench-floor-entry.js');
  fs.mkdirSync(path.dirname(entry), { recursive: true });
  fs.writeFileSync(entry, FLOOR_SOURCE);
  try {
    const ncc = require('@vercel/ncc') as (file: string, options: object) => Promise<{ code: string }>;
    const { transformSync } = await import('esbuild');
    const { code } = await ncc(entry, { cache: false, minify: false, quiet: true, target: 'es2022' });
    const file = path.join(dir, 'floor.js');
    fs.writeFileSync(
      file,
      transformSync(code, { minify: true, format: 'cjs', platform: 'node', target: 'node20' }).code,
    );
    return file;
  } finally {
    fs.rmSync(entry, { force: true });
  }
}

async function coldStarts(
  inputsFor: Record<string, Record<string, string>>,
  floorBundle: string,
): Promise<Record<string, number>> {
  const server = await firstRequestServer();
  const env = (inputs: Record<string, string>) => ({
    PATH: process.env.PATH ?? '',
    AWS_ENDPOINT_URL: server.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_MAX_ATTEMPTS: '1',
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
    ),
  });
  const results: Record<string, number> = {};
  try {
    for (const action of ACTIONS) {
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const arrival = server.next();
        const started = process.hrtime.bigint();
        const exited = runOnce([path.join(DIST, action, 'index.js')], env(inputsFor[action] ?? {}));
        times.push(Number((await arrival) - started) / 1e6);
        await exited;
      }
      results[action] = round(median(times));
    }
    const floor: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const arrival = server.next();
      const started = process.hrtime.bigint();
      const exited = runOnce([floorBundle], env({}));
      floor.push(Number((await arrival) - started) / 1e6);
      await exited;
    }
    results['(floor: @actions/core + SageMaker client, one request)'] = round(median(floor));
    const empty: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = process.hrtime.bigint();
      await runOnce(['-e', ''], { PATH: process.env.PATH ?? '' });
      empty.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    results['(empty node process, start to exit)'] = round(median(empty));
  } finally {
    await server.close();
  }
  return results;
}

/** Runs wait-for-execution with its defaults on an execution whose one step runs LONG_STEP_SECONDS; counts its calls. */
async function callsPerMinute(dir: string): Promise<{ calls: number; minutes: number; perMinute: number }> {
  let calls = 0;
  let counting = false;
  const aws = await startLocalAws({
    port: 0,
    stateDir: path.join(dir, 'state'),
    quiet: true,
    log: (line) => counting && line.startsWith('sagemaker ') && (calls += 1),
  });
  try {
    const sagemaker = createClient(SageMakerClient, {
      endpoint: aws.endpoint,
      region: aws.region,
      credentials: { ...LOCAL_CREDENTIALS },
    });
    const definition = {
      Version: '2020-12-01',
      Steps: [
        {
          Name: 'LongStep',
          Type: 'Processing',
          Arguments: {
            ProcessingResources: {
              ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
            },
            AppSpecification: {
              ImageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
              ContainerEntrypoint: ['python3', '-c', `import time; time.sleep(${LONG_STEP_SECONDS})`],
            },
            RoleArn: 'arn:aws:iam::000000000000:role/SageMakerExecutionRole',
          },
        },
      ],
    };
    await sagemaker.send(
      new CreatePipelineCommand({
        PipelineName: 'long',
        PipelineDefinition: JSON.stringify(definition),
        RoleArn: definition.Steps[0]!.Arguments.RoleArn,
      }),
    );
    const { PipelineExecutionArn } = await sagemaker.send(
      new StartPipelineExecutionCommand({ PipelineName: 'long' }),
    );
    counting = true;
    const started = Date.now();
    await runOnce([path.join(DIST, 'wait-for-execution', 'index.js')], {
      PATH: process.env.PATH ?? '',
      ...aws.env,
      'INPUT_EXECUTION-ARN': PipelineExecutionArn ?? '',
    });
    const minutes = (Date.now() - started) / 60_000;
    counting = false;
    return { calls, minutes: round(minutes), perMinute: round(calls / minutes) };
  } finally {
    await aws.stop();
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-actions-'));
  try {
    const { definitionFile } = writeSynthResult(
      path.join(dir, 'pipeline.json'),
      synthesizeAbalone(abaloneDefaults()),
    );
    const template = path.join(dir, 'template.json');
    fs.writeFileSync(template, JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }));
    const sizes = Object.fromEntries(ACTIONS.map((action) => [action, bundleSize(action)]));
    console.log('bundle sizes', sizes);
    const floorBundle = await buildFloorBundle(dir);
    const firstRequestMs = await coldStarts(
      {
        'upsert-sagemaker-pipeline': {
          'PIPELINE-NAME': 'bench',
          'DEFINITION-FILE': definitionFile,
          'ROLE-ARN': 'arn:aws:iam::000000000000:role/R',
        },
        'wait-for-execution': {
          'EXECUTION-ARN': 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/p/execution/e1',
        },
        'deploy-endpoint': { 'STACK-NAME': 'bench', 'TEMPLATE-FILE': template },
        'approved-model': { 'MODEL-PACKAGE-GROUP': 'bench' },
      },
      floorBundle,
    );
    console.log('cold start to first AWS request (ms, median of 7)', firstRequestMs);
    const waiting = await callsPerMinute(dir);
    console.log('wait-for-execution API calls per minute on a long step', waiting);
    const results = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg().map(round) },
      bundles: sizes,
      firstRequestMs,
      waitForExecution: { defaultPollSeconds: '5-30', longStepSeconds: LONG_STEP_SECONDS, ...waiting },
      reference: REFERENCE,
    };
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`wrote ${path.relative(ROOT, RESULTS)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
