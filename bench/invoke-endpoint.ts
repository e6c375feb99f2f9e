/**
 * InvokeEndpoint throughput and latency of the local XGBoost endpoint, through the SDK over loopback:
 * single-row requests from 16 concurrent callers (requests/s, p50, p99) and one 1,000-row request.
 *
 * The local AWS runs as users run it, in its own process (`mlops local start`). The 16 callers are spread
 * over worker threads (one per core by default, `BENCH_CALLER_THREADS` to change): one Node thread running
 * the AWS SDK tops out near 1,600 calls/s here (the SDK spends ~0.6 ms of CPU per call), below the target.
 * For reference the same load is also run with bare node:http requests, which shows what the local AWS
 * itself sustains. Run with `npm run bench:invoke`; figures go to bench/results/invoke-endpoint.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

import { writeFileAtomic } from '../local/state/store';
import { createClient } from '../src/aws/clients';
import { quietNodeVersionWarning } from '../src/aws/quiet-node-version-warning';
import { buildAbaloneModel } from '../test/integration/endpoints/abalone-model';

quietNodeVersionWarning();

const CALLERS = 16;
const CALLER_THREADS = Number(process.env.BENCH_CALLER_THREADS ?? os.cpus().length);
const DURATION_MS = 10_000;
const WARMUP_MS = 2_000;
const BATCH_ROWS = 1_000;
const BATCH_REPEATS = 30;
const TARGETS = { singleRowRps: 2_000, singleRowP99Ms: 20, batch1000Ms: 50 };
const RESULTS = path.join(__dirname, 'results', 'invoke-endpoint.json');
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
const ENDPOINT_NAME = 'bench';

/** What each caller thread is given, and what it reports. */
interface CallerJob {
  /** `sdk`: SageMakerRuntimeClient (the measurement); `http`: bare node:http requests (the server's capacity). */
  readonly client: 'sdk' | 'http';
  readonly endpoint: string;
  readonly callers: number;
  readonly rows: readonly string[];
  readonly warmupMs: number;
  readonly durationMs: number;
}

interface CallerReport {
  readonly latencies: number[];
  readonly errors: number;
}

function runtimeClient(endpoint: string): SageMakerRuntimeClient {
  // One attempt: a failed request counts as an error instead of being retried out of sight.
  return createClient(SageMakerRuntimeClient, {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

const invoke = (client: SageMakerRuntimeClient, body: string) =>
  client.send(
    new InvokeEndpointCommand({
      EndpointName: ENDPOINT_NAME,
      ContentType: 'text/csv',
      Accept: 'text/csv',
      Body: body,
    }),
  );

/** Closed-loop callers for `ms`: each sends its next row as soon as the previous answer arrives. */
async function callLoop(
  send: (body: string) => Promise<unknown>,
  job: CallerJob,
  ms: number,
): Promise<CallerReport> {
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + ms;
  const caller = async (offset: number) => {
    for (let index = offset; Date.now() < end; index = (index + job.callers) % job.rows.length) {
      const start = process.hrtime.bigint();
      try {
        await send(job.rows[index]!);
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: job.callers }, (_, offset) => caller(offset)));
  return { latencies, errors };
}

/** Worker-thread side: warm up, measure, report. */
async function callerThread(job: CallerJob): Promise<void> {
  const client = runtimeClient(job.endpoint);
  const send = job.client === 'sdk' ? (body: string) => invoke(client, body) : bareHttp(job.endpoint);
  await callLoop(send, job, job.warmupMs);
  parentPort!.postMessage(await callLoop(send, job, job.durationMs));
}

/** InvokeEndpoint without the SDK (unsigned; the local AWS does not verify signatures). */
function bareHttp(endpoint: string): (body: string) => Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CALLERS });
  const url = new URL(`${endpoint}/endpoints/${ENDPOINT_NAME}/invocations`);
  return (body) =>
    new Promise((resolve, reject) => {
      const request = http.request(
        url,
        {
          agent,
          method: 'POST',
          headers: { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          response.on('end', () =>
            response.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`)),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    });
}

function startCallerThread(job: CallerJob): Promise<CallerReport> {
  // The thread loads this TypeScript file through tsx, as the main thread did.
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, {
    eval: true,
    workerData: job,
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (report: CallerReport) => {
      resolve(report);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** `mlops local start --port 0` in a child process; resolves with its endpoint once it listens. */
function startServer(stateDir: string): Promise<{ endpoint: string; child: ChildProcess }> {
  const cli = path.join(__dirname, '..', 'bin', 'mlops.js');
  const child = spawn(process.execPath, [cli, 'local', 'start', '--port', '0', '--state-dir', stateDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let banner = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      banner += chunk.toString('utf8');
      const endpoint = /listening on (http:\/\/\S+)/.exec(banner)?.[1];
      if (endpoint) resolve({ endpoint, child });
    });
    child.once('exit', (code) => reject(new Error(`mlops local start exited with code ${code}: ${banner}`)));
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Uploads the model and brings the endpoint InService. */
async function deployEndpoint(endpoint: string, modelTarGz: string): Promise<void> {
  const options = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const s3 = createClient(S3Client, options);
  const sagemaker = createClient(SageMakerClient, options);
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  await s3.send(
    new PutObjectCommand({ Bucket: 'bench', Key: 'model.tar.gz', Body: fs.readFileSync(modelTarGz) }),
  );
  await sagemaker.send(
    new CreateModelCommand({
      ModelName: ENDPOINT_NAME,
      ExecutionRoleArn: 'arn:aws:iam::000000000000:role/bench',
      PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://bench/model.tar.gz' },
    }),
  );
  await sagemaker.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: ENDPOINT_NAME,
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: ENDPOINT_NAME,
          InitialInstanceCount: 1,
          InstanceType: 'ml.m5.large',
        },
      ],
    }),
  );
  await sagemaker.send(
    new CreateEndpointCommand({ EndpointName: ENDPOINT_NAME, EndpointConfigName: ENDPOINT_NAME }),
  );
  for (;;) {
    const { EndpointStatus, FailureReason } = await sagemaker.send(
      new DescribeEndpointCommand({ EndpointName: ENDPOINT_NAME }),
    );
    if (EndpointStatus === 'InService') return;
    if (EndpointStatus !== 'Creating') throw new Error(`endpoint ${EndpointStatus}: ${FailureReason}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

async function singleRowLoad(endpoint: string, rows: readonly string[], client: CallerJob['client']) {
  const perThread = Array.from(
    { length: CALLER_THREADS },
    (_, thread) => Math.floor(CALLERS / CALLER_THREADS) + (thread < CALLERS % CALLER_THREADS ? 1 : 0),
  );
  const reports = await Promise.all(
    perThread.map((callers) =>
      startCallerThread({ client, endpoint, callers, rows, warmupMs: WARMUP_MS, durationMs: DURATION_MS }),
    ),
  );
  const latencies = reports.flatMap((report) => report.latencies).sort((a, b) => a - b);
  return {
    callers: CALLERS,
    callerThreads: CALLER_THREADS,
    seconds: DURATION_MS / 1000,
    requests: latencies.length,
    errors: reports.reduce((sum, report) => sum + report.errors, 0),
    requestsPerSecond: round(latencies.length / (DURATION_MS / 1000), 0),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
  };
}

async function batchLatency(endpoint: string, rows: readonly string[]) {
  const client = runtimeClient(endpoint);
  const body = Array.from({ length: BATCH_ROWS }, (_, index) => rows[index % rows.length]).join('\n');
  const latencies: number[] = [];
  for (let repeat = 0; repeat < BATCH_REPEATS + 3; repeat++) {
    const start = process.hrtime.bigint();
    const response = await invoke(client, body);
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    const predictions = Buffer.from(response.Body!).toString('utf8').split('\n').length;
    if (predictions !== BATCH_ROWS)
      throw new Error(`a ${BATCH_ROWS}-row request answered ${predictions} predictions`);
    if (repeat >= 3) latencies.push(elapsed);
  }
  latencies.sort((a, b) => a - b);
  return {
    rows: BATCH_ROWS,
    repeats: BATCH_REPEATS,
    p50Ms: round(percentile(latencies, 50)),
    minMs: round(latencies[0]!),
    maxMs: round(latencies[latencies.length - 1]!),
  };
}

async function main(): Promise<void> {
  // Other work on the machine skews the figures; the load before the run says how quiet it was.
  const loadBefore = os.loadavg()[0]!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-invoke-'));
  const server = await startServer(path.join(dir, 'state'));
  try {
    const model = await buildAbaloneModel(path.join(dir, 'model'));
    await deployEndpoint(server.endpoint, model.modelTarGz);
    const singleRow = await singleRowLoad(server.endpoint, model.testRows, 'sdk');
    // For reference: the same load without the SDK's own cost, i.e. what the local AWS itself sustains.
    const singleRowWithoutSdk = await singleRowLoad(server.endpoint, model.testRows, 'http');
    const batch1000Rows = await batchLatency(server.endpoint, model.testRows);
    const result = {
      benchmark: 'invoke-endpoint',
      date: new Date().toISOString(),
      setup: `local AWS in its own process (mlops local start); ${CALLERS} closed-loop callers over ${CALLER_THREADS} worker thread(s), SDK v3 SageMakerRuntimeClient from createClient (maxAttempts 1), text/csv over loopback`,
      machine: { cpus: os.cpus().length, node: process.version, loadAverage1mBeforeRun: round(loadBefore) },
      targets: TARGETS,
      singleRow,
      batch1000Rows,
      singleRowWithoutSdk,
      meetsTargets: {
        singleRowRps: singleRow.requestsPerSecond >= TARGETS.singleRowRps,
        singleRowP99Ms: singleRow.p99Ms < TARGETS.singleRowP99Ms,
        batch1000Ms: batch1000Rows.p50Ms < TARGETS.batch1000Ms,
      },
    };
    writeFileAtomic(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      [
        `single-row, ${CALLERS} callers on ${CALLER_THREADS} thread(s): ${singleRow.requestsPerSecond} requests/s, p50 ${singleRow.p50Ms} ms, p99 ${singleRow.p99Ms} ms, ${singleRow.errors} errors`,
        `for reference, without the SDK (bare node:http): ${singleRowWithoutSdk.requestsPerSecond} requests/s, p50 ${singleRowWithoutSdk.p50Ms} ms, p99 ${singleRowWithoutSdk.p99Ms} ms`,
        `${BATCH_ROWS}-row request: p50 ${batch1000Rows.p50Ms} ms (min ${batch1000Rows.minMs}, max ${batch1000Rows.maxMs})`,
        `targets: >= ${TARGETS.singleRowRps} requests/s with p99 < ${TARGETS.singleRowP99Ms} ms; ${BATCH_ROWS} rows < ${TARGETS.batch1000Ms} ms`,
        `written to ${path.relative(process.cwd(), RESULTS)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await stopServer(server.child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:invoke failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  void callerThread(workerData as CallerJob);
}
