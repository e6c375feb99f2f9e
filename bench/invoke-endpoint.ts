/**
 * InvokeEndpoint throughput and latency of the local XGBoost endpoint, through the SDK over loopback:
 * single-row requests from 16 concurrent callers (requests/s, p50, p99) and one 1,000-row request.
 * The local AWS runs as users run it, in its own process (`mlops local start`), so the callers' SDK work and
 * the server's work each have a core. Run with `npm run bench:invoke`; figures go to
 * bench/results/invoke-endpoint.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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
import { buildAbaloneModel } from '../test/integration/endpoints/abalone-model';

const CALLERS = 16;
const DURATION_MS = 10_000;
const WARMUP_MS = 2_000;
const BATCH_ROWS = 1_000;
const BATCH_REPEATS = 30;
const TARGETS = { singleRowRps: 2_000, singleRowP99Ms: 20, batch1000Ms: 50 };
const RESULTS = path.join(__dirname, 'results', 'invoke-endpoint.json');
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

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

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-invoke-'));
  const server = await startServer(path.join(dir, 'state'));
  try {
    const options = {
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    const model = await buildAbaloneModel(path.join(dir, 'model'));
    const s3 = createClient(S3Client, options);
    const sagemaker = createClient(SageMakerClient, options);
    // One attempt: a failed request counts as an error instead of being retried out of sight.
    const runtime = createClient(SageMakerRuntimeClient, { ...options, maxAttempts: 1 });

    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    await s3.send(
      new PutObjectCommand({ Bucket: 'bench', Key: 'model.tar.gz', Body: fs.readFileSync(model.modelTarGz) }),
    );
    await sagemaker.send(
      new CreateModelCommand({
        ModelName: 'bench',
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/bench',
        PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://bench/model.tar.gz' },
      }),
    );
    await sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'bench',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'bench',
            InitialInstanceCount: 1,
            InstanceType: 'ml.m5.large',
          },
        ],
      }),
    );
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'bench', EndpointConfigName: 'bench' }));
    for (;;) {
      const { EndpointStatus, FailureReason } = await sagemaker.send(
        new DescribeEndpointCommand({ EndpointName: 'bench' }),
      );
      if (EndpointStatus === 'InService') break;
      if (EndpointStatus !== 'Creating') throw new Error(`endpoint ${EndpointStatus}: ${FailureReason}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const invoke = (body: string) =>
      runtime.send(
        new InvokeEndpointCommand({
          EndpointName: 'bench',
          ContentType: 'text/csv',
          Accept: 'text/csv',
          Body: body,
        }),
      );

    /** 16 callers in a closed loop for `ms`; returns each request's latency in ms and the error count. */
    const load = async (ms: number) => {
      const latencies: number[] = [];
      let errors = 0;
      const end = Date.now() + ms;
      const caller = async (offset: number) => {
        for (let index = offset; Date.now() < end; index = (index + CALLERS) % model.testRows.length) {
          const start = process.hrtime.bigint();
          try {
            await invoke(model.testRows[index]!);
            latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
          } catch {
            errors++;
          }
        }
      };
      const started = process.hrtime.bigint();
      await Promise.all(Array.from({ length: CALLERS }, (_, offset) => caller(offset)));
      return { latencies, errors, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    };

    await load(WARMUP_MS);
    const single = await load(DURATION_MS);
    const sortedSingle = [...single.latencies].sort((a, b) => a - b);

    const batchBody = Array.from(
      { length: BATCH_ROWS },
      (_, index) => model.testRows[index % model.testRows.length],
    ).join('\n');
    const batchLatencies: number[] = [];
    for (let repeat = 0; repeat < BATCH_REPEATS + 3; repeat++) {
      const start = process.hrtime.bigint();
      const response = await invoke(batchBody);
      const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
      const lines = Buffer.from(response.Body!).toString('utf8').split('\n').length;
      if (lines !== BATCH_ROWS) throw new Error(`1,000-row request answered ${lines} predictions`);
      if (repeat >= 3) batchLatencies.push(elapsed);
    }
    const sortedBatch = [...batchLatencies].sort((a, b) => a - b);

    const figures = {
      singleRow: {
        callers: CALLERS,
        seconds: round(single.seconds),
        requests: single.latencies.length,
        errors: single.errors,
        requestsPerSecond: round(single.latencies.length / single.seconds, 0),
        p50Ms: round(percentile(sortedSingle, 50)),
        p99Ms: round(percentile(sortedSingle, 99)),
      },
      batch1000Rows: {
        repeats: BATCH_REPEATS,
        p50Ms: round(percentile(sortedBatch, 50)),
        minMs: round(sortedBatch[0]!),
        maxMs: round(sortedBatch[sortedBatch.length - 1]!),
      },
    };
    const result = {
      benchmark: 'invoke-endpoint',
      date: new Date().toISOString(),
      setup:
        'local AWS in its own process (mlops local start); 16 async callers in this process with SDK v3 clients from createClient (maxAttempts 1)',
      machine: { cpus: os.cpus().length, node: process.version, loadAverage1m: round(os.loadavg()[0]!) },
      targets: TARGETS,
      ...figures,
      meetsTargets: {
        singleRowRps: figures.singleRow.requestsPerSecond >= TARGETS.singleRowRps,
        singleRowP99Ms: figures.singleRow.p99Ms < TARGETS.singleRowP99Ms,
        batch1000Ms: figures.batch1000Rows.p50Ms < TARGETS.batch1000Ms,
      },
    };
    writeFileAtomic(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      [
        `single-row, ${CALLERS} callers: ${figures.singleRow.requestsPerSecond} requests/s, p50 ${figures.singleRow.p50Ms} ms, p99 ${figures.singleRow.p99Ms} ms, ${figures.singleRow.errors} errors`,
        `1,000-row request: p50 ${figures.batch1000Rows.p50Ms} ms (min ${figures.batch1000Rows.minMs}, max ${figures.batch1000Rows.maxMs})`,
        `targets: >= ${TARGETS.singleRowRps} rps with p99 < ${TARGETS.singleRowP99Ms} ms; 1,000 rows < ${TARGETS.batch1000Ms} ms`,
        `written to ${path.relative(process.cwd(), RESULTS)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await stopServer(server.child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:invoke failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
