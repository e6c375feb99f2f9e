/**
 * The cost of data capture: InvokeEndpoint throughput of two endpoints serving the same model, one
 * capturing 100% of its traffic (input and output, CSV) and one capturing nothing, measured in one run with
 * the rounds interleaved (off, on, off, on) so machine load hits both alike. 8 closed-loop SDK callers, single
 * rows, 5 s a round after a warm-up. Goal: capture at 100% keeps at least 90% of the throughput. Run with
 * `npm run bench:capture`; figures go to bench/results/data-capture.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';

import { startLocalAws } from '../local';
import { writeFileAtomic } from '../local/state/store';
import { createClient } from '../src/aws/clients';
import { quietNodeVersionWarning } from '../src/aws/quiet-node-version-warning';
import { buildAbaloneModel } from '../test/integration/endpoints/abalone-model';

quietNodeVersionWarning();

const CALLERS = 8;
const ROUND_MS = 5_000;
const WARMUP_MS = 2_000;
const ROUNDS = 2;
const GOAL = 0.9;
const RESULTS = path.join(__dirname, 'results', 'data-capture.json');
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-capture-'));
  const aws = await startLocalAws({ port: 0, stateDir: path.join(dir, 'state'), quiet: true });
  const options = {
    endpoint: aws.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const s3 = createClient(S3Client, options);
  const sagemaker = createClient(SageMakerClient, options);
  const runtime = createClient(SageMakerRuntimeClient, { ...options, maxAttempts: 1 });
  try {
    const model = await buildAbaloneModel(path.join(dir, 'model'));
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
    for (const capture of [false, true]) {
      const name = capture ? 'capture-on' : 'capture-off';
      await sagemaker.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: name,
          ProductionVariants: [
            {
              VariantName: 'AllTraffic',
              ModelName: 'bench',
              InitialInstanceCount: 1,
              InstanceType: 'ml.m5.large',
            },
          ],
          ...(capture
            ? {
                DataCaptureConfig: {
                  EnableCapture: true,
                  InitialSamplingPercentage: 100,
                  DestinationS3Uri: 's3://bench/capture',
                  CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
                  CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'] },
                },
              }
            : {}),
        }),
      );
      await sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
    }
    for (const name of ['capture-off', 'capture-on']) {
      for (;;) {
        const { EndpointStatus } = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }));
        if (EndpointStatus === 'InService') break;
        if (EndpointStatus === 'Failed') throw new Error(`endpoint ${name} failed`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    const round = async (endpoint: string, ms: number) => {
      let calls = 0;
      let errors = 0;
      const end = Date.now() + ms;
      await Promise.all(
        Array.from({ length: CALLERS }, async (_, offset) => {
          for (let index = offset; Date.now() < end; index = (index + CALLERS) % model.testRows.length) {
            try {
              await runtime.send(
                new InvokeEndpointCommand({
                  EndpointName: endpoint,
                  ContentType: 'text/csv',
                  Body: model.testRows[index]!,
                }),
              );
              calls++;
            } catch {
              errors++;
            }
          }
        }),
      );
      return { rps: calls / (ms / 1000), errors };
    };
    await round('capture-off', WARMUP_MS);
    await round('capture-on', WARMUP_MS);
    const measured: Record<'off' | 'on', { rps: number; errors: number }[]> = { off: [], on: [] };
    for (let index = 0; index < ROUNDS; index++) {
      measured.off.push(await round('capture-off', ROUND_MS));
      measured.on.push(await round('capture-on', ROUND_MS));
    }
    const mean = (values: { rps: number }[]) =>
      values.reduce((sum, value) => sum + value.rps, 0) / values.length;
    const off = mean(measured.off);
    const on = mean(measured.on);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the last batch is written within a second
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'bench', Prefix: 'capture/' }));
    const captured = listed.KeyCount ?? 0;
    const result = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))) },
      callers: CALLERS,
      roundMs: ROUND_MS,
      rounds: measured,
      captureOffRps: Number(off.toFixed(1)),
      captureOnRps: Number(on.toFixed(1)),
      ratio: Number((on / off).toFixed(3)),
      goal: GOAL,
      meetsGoal: on / off >= GOAL,
      captureFilesWritten: captured,
    };
    writeFileAtomic(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      `InvokeEndpoint, ${CALLERS} callers: capture off ${result.captureOffRps} req/s, capture 100% ${result.captureOnRps} req/s (ratio ${result.ratio}, goal >= ${GOAL}); ${captured} capture file(s); written to ${RESULTS}\n`,
    );
  } finally {
    await aws.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
