import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';

import { createClient } from '../../src/aws/clients';
import { CLI, cliEnv, type LocalServer, startLocalServer, stopLocalServer } from './local-server';

/**
 * The monitoring loop as a user drives it, through the CLI only: `mlops run` deploys the endpoint (capturing
 * 100%) against a separate `mlops local start`; normal traffic → `mlops monitor drift-check` completes
 * without violations and dispatches nothing; traffic with two features shifted (`mlops monitor
 * send-traffic`) → CompletedWithViolations naming both, and a workflow_dispatch of the retraining workflow
 * reaches GitHub's API (a stand-in on loopback, through GITHUB_API_URL) with the reason as its input.
 */
jest.setTimeout(5 * 60_000);

const run = promisify(execFile);
const ROLE = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-drift-'));
let server: LocalServer | undefined;
let github: http.Server | undefined;
const dispatches: { path: string; body: { ref: string; inputs: { reason: string } } }[] = [];

afterAll(async () => {
  if (server) await stopLocalServer(server);
  await new Promise((resolve) => (github ? github.close(resolve) : resolve(undefined)));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** GitHub's workflow_dispatch endpoint: records the call and answers 204 as GitHub does. */
async function startGitHubApi(): Promise<string> {
  github = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      dispatches.push({ path: req.url ?? '', body: JSON.parse(body) as (typeof dispatches)[number]['body'] });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => github!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(github.address() as AddressInfo).port}`;
}

async function mlops(
  args: string[],
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [CLI, ...args], { cwd: dir, env: cliEnv(env), maxBuffer: 16 * 1024 * 1024 });
}

/** The data-quality baseline the pipeline attached to the approved package. */
async function baselineOf(endpoint: string): Promise<{ statistics: string; constraints: string }> {
  const sagemaker = createClient(SageMakerClient, {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const listed = await sagemaker.send(
    new ListModelPackagesCommand({
      ModelPackageGroupName: 'abalone-models',
      ModelApprovalStatus: 'Approved',
    }),
  );
  const arn = listed.ModelPackageSummaryList?.[0]?.ModelPackageArn;
  const pkg = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  const quality = pkg.DriftCheckBaselines?.ModelDataQuality;
  return { statistics: quality?.Statistics?.S3Uri ?? '', constraints: quality?.Constraints?.S3Uri ?? '' };
}

it('mlops run deploys a capturing endpoint; shifted traffic makes the drift check dispatch retraining', async () => {
  server = await startLocalServer({ stateDir: path.join(dir, 'state'), cwd: dir });
  const apiUrl = await startGitHubApi();
  const env = { AWS_ENDPOINT_URL: server.endpoint, AWS_REGION: 'us-east-1' };
  await mlops(['run', '--build-dir', path.join(dir, 'build')], env);
  const baseline = await baselineOf(server.endpoint);
  expect(baseline.statistics).toMatch(/^s3:\/\/.+\/statistics\.json$/);
  expect(baseline.constraints).toMatch(/^s3:\/\/.+\/constraints\.json$/);

  const rows = path.join(dir, 'build', 'test-features.csv');
  const check = () =>
    mlops(
      [
        'monitor',
        'drift-check',
        '--endpoint',
        'abalone-local',
        '--baseline-statistics',
        baseline.statistics,
        '--baseline-constraints',
        baseline.constraints,
        '--output',
        's3://mlops-local-artifacts/drift-checks',
        '--role',
        ROLE,
        '--limit',
        '2',
        '--dispatch-workflow',
        'deploy.yml',
        '--repository',
        'example-org/mlops-demo',
      ],
      { ...env, GITHUB_API_URL: apiUrl, GITHUB_TOKEN: 'test-token' },
    );
  // Normal traffic: the held-out rows unchanged (a factor of 1), like the training data.
  await mlops(
    ['monitor', 'send-traffic', '--endpoint', 'abalone-local', '--rows', rows, '--scale', '_c1=1'],
    env,
  );
  await new Promise((resolve) => setTimeout(resolve, 1500)); // capture is flushed within a second
  const normal = await check();
  expect(normal.stdout).toContain('## Drift check of abalone-local: Completed');
  expect(normal.stdout).not.toContain('CompletedWithViolations');
  expect(dispatches).toEqual([]);

  const shifted = await mlops(
    ['monitor', 'send-traffic', '--endpoint', 'abalone-local', '--rows', rows, '--scale', '_c1=1.6,_c4=2'],
    env,
  );
  expect(shifted.stdout).toMatch(/^sent \d+ row\(s\) to abalone-local with _c1=1.6,_c4=2/);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const drifted = await check();
  expect(drifted.stdout).toContain('## Drift check of abalone-local: CompletedWithViolations');
  expect(drifted.stdout).toMatch(/\| _c1 \| .* \| baseline_drift_check \|/);
  expect(drifted.stdout).toMatch(/\| _c4 \| .* \| baseline_drift_check \|/);
  expect(dispatches).toHaveLength(1);
  expect(dispatches[0]?.path).toBe('/repos/example-org/mlops-demo/actions/workflows/deploy.yml/dispatches');
  expect(dispatches[0]?.body.ref).toBe('main');
  expect(dispatches[0]?.body.inputs.reason).toContain('_c1 baseline_drift_check');
  expect(dispatches[0]?.body.inputs.reason).toContain('_c4 baseline_drift_check');
});
