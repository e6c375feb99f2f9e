import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import { tempStateDir } from './harness';

const MLOPS = path.resolve(__dirname, '../../../bin/mlops.js');
const stateDir = tempStateDir();
let server: ChildProcess | undefined;

afterAll(() => {
  if (server?.exitCode === null) server.kill('SIGKILL');
  fs.rmSync(stateDir, { recursive: true, force: true });
});

function mlops(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MLOPS, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Child processes running the Lambda worker (other children, like tsx's esbuild service, exit on their own). */
function lambdaWorkersOf(pid: number): Promise<number[]> {
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], (_error, stdout) => {
      const lines = stdout.split('\n').filter((line) => line.includes('lambda/worker'));
      resolve(lines.map((line) => Number.parseInt(line.trim(), 10)));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with the whole stdout once `pattern` appears in it. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) resolve(output);
    });
    child.once('exit', (code) =>
      reject(new Error(`mlops exited ${code} before printing ${pattern}: ${output}`)),
    );
  });
}

describe('mlops local', () => {
  it('starts in the foreground, prints the environment, answers status and stops on SIGTERM', async () => {
    server = spawn(process.execPath, [MLOPS, 'local', 'start', '--port', '0', '--state-dir', stateDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const banner = await waitForOutput(server, /export AWS_SECRET_ACCESS_KEY=test\n/);
    const endpoint = /export AWS_ENDPOINT_URL=(\S+)/.exec(banner)![1]!;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(banner).toContain('export AWS_REGION=us-east-1');
    expect(banner).toContain('export AWS_ACCESS_KEY_ID=test');

    const up = await mlops(['local', 'status', '--endpoint', endpoint]);
    expect(up).toMatchObject({ code: 0, stdout: expect.stringContaining(`local AWS at ${endpoint} is up`) });
    const faults = await mlops([
      'local',
      'faults',
      '--endpoint',
      endpoint,
      '--latency-ms',
      '1',
      '--services',
      's3, ssm',
    ]);
    expect(faults).toMatchObject({
      code: 0,
      stdout: 'fault settings now {"latencyMs":1,"services":["s3","ssm"]}\n',
    });

    // A Lambda invocation leaves a warm worker process behind; shutdown must take it down too.
    const invoked = await fetch(`${endpoint}/2015-03-31/functions/record-model-name/invocations`, {
      method: 'POST',
      body: JSON.stringify({ model_name: 'cli-model', parameter_name: '/cli/model' }),
    });
    expect(await invoked.json()).toMatchObject({ parameter_version: 1 });
    const workers = await lambdaWorkersOf(server.pid!);
    expect(workers.length).toBeGreaterThan(0);

    const exited = new Promise<number | null>((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workers.filter(isAlive)).toEqual([]);

    const down = await mlops(['local', 'status', '--endpoint', endpoint]);
    expect(down).toMatchObject({
      code: 1,
      stdout: expect.stringContaining(`no local AWS answers at ${endpoint}`),
    });
  }, 30_000);

  it('says in one line which port is in use', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const result = await mlops(['local', 'start', '--port', String(port), '--state-dir', stateDir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`mlops: port ${port} is in use; pass --port 0 or another port\n`);
    } finally {
      blocker.close();
    }
  }, 30_000);
});
