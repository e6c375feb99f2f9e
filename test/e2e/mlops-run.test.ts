import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { DescribePipelineExecutionCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';

import { startLocalAws } from '../../local';
import { createClient } from '../../src/aws/clients';
import { localClientOptions } from '../../src/cli/connection';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'mlops.js');
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[/;

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a fresh shell: no AWS settings leaking in from the developer's machine. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('MLOPS_')),
  );
  return { ...env, CI: 'true', AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

function runCli(
  args: readonly string[],
  options: {
    cwd: string;
    env?: NodeJS.ProcessEnv;
    onStdout?: (text: string, child: ReturnType<typeof spawn>) => void;
  },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: options.env ?? cleanEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function liveEndpointRmse(stdout: string): number {
  const match = /live endpoint (\d+\.\d+)/.exec(stdout);
  if (!match?.[1]) throw new Error(`no endpoint RMSE in the output:\n${stdout}`);
  return Number(match[1]);
}

/** Processes whose command line mentions the folder (job processes, serving workers, Lambda workers). */
function processesMentioning(folder: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(folder) && !line.includes('ps -eo'));
}

describe('mlops run (the README main command) against the in-process local AWS', () => {
  let work: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-run-'));
  });

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  const dirs = (name: string) => [
    '--state-dir',
    path.join(work, name, 'state'),
    '--build-dir',
    path.join(work, name, 'build'),
  ];

  it('trains, gates, registers, deploys and scores the endpoint; a second run updates in place; a third waits for approval, tells the approvers, and mlops approve deploys it', async () => {
    const first = await runCli(['run', ...dirs('twice')], { cwd: ROOT });
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    const rmse = liveEndpointRmse(first.stdout);
    expect(rmse).toBeGreaterThan(1.9);
    expect(rmse).toBeLessThan(2.6);
    expect(first.stdout).toMatch(/pipeline evaluation (\d+\.\d+)/);
    expect(first.stdout).toMatch(
      /model package\s+arn:aws:sagemaker:us-east-1:000000000000:model-package\/abalone-models\/1 — Approved \(approved automatically/,
    );
    expect(first.stdout).toMatch(/SSM parameter\s+\/mlops\/abalone\/model-name = pipelines-/);
    expect(first.stdout).toMatch(/call it\s+npx mlops invoke --endpoint abalone-local/);
    expect(first.stdout).toContain('stage times');
    // Not a TTY (and CI is set): plain lines only.
    expect(first.stdout).not.toMatch(ANSI);
    expect(first.stderr).not.toMatch(ANSI);

    const second = await runCli(['run', ...dirs('twice')], { cwd: ROOT });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/abalone-pipeline \(unchanged\)/);
    expect(second.stdout).toMatch(/model-package\/abalone-models\/2/);
    expect(second.stdout).toMatch(
      /endpoint\s+abalone-local \(stack abalone-endpoint-local, (deployed|no change)\)/,
    );
    const executions = second.stdout.match(/execution\/[a-z0-9]+/g) ?? [];
    expect(first.stdout).not.toContain(executions[0]);
    expect(liveEndpointRmse(second.stdout)).toBeLessThan(2.6);
    expect(processesMentioning(path.join(work, 'twice'))).toEqual([]);

    const third = await runCli(['run', ...dirs('twice'), '--manual-approval'], { cwd: ROOT });
    expect(third.code).toBe(0);
    const pending = 'arn:aws:sagemaker:us-east-1:000000000000:model-package/abalone-models/3';
    expect(third.stdout).toContain(`${pending} — PendingManualApproval`);
    expect(third.stdout).toContain('notification to the approvers');
    expect(third.stdout).toMatch(/deployed model arn:.*model-package\/abalone-models\/2/);
    expect(third.stdout).toMatch(/rmse: \d+\.\d+ vs \d+\.\d+ deployed/);
    // A new process on the same state: the endpoint is being restored when the approval's deploy updates it.
    const approveDir = path.join(work, 'twice', 'approve');
    fs.mkdirSync(approveDir);
    const approved = await runCli(
      ['approve', pending, '--state-dir', path.join(work, 'twice', 'state'), '--description', 'e2e'],
      { cwd: approveDir, env: cleanEnv({ AWS_ACCESS_KEY_ID: 'alice', AWS_SECRET_ACCESS_KEY: 'x' }) },
    );
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).not.toContain('notification to the approvers');
    expect(approved.stdout).toContain(`deployed ${pending} to abalone-local`);
    expect(approved.stdout).toContain('approved by: arn:aws:iam::000000000000:user/alice');
    expect(processesMentioning(path.join(work, 'twice'))).toEqual([]);
  }, 240_000);

  it('stops with exit code 1 and the reason when the quality gate fails', async () => {
    const result = await runCli(['run', ...dirs('gate'), '--parameter', 'RmseThreshold=0.5'], { cwd: ROOT });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('The quality gate rejected the model');
    expect(result.stdout).toMatch(/failed step\s+RmseTooHigh: .*rmse.*0\.5/i);
    expect(result.stdout).not.toContain('endpoint ');
  }, 120_000);

  it('Ctrl-C stops the execution, shuts the local AWS down and leaves no process behind', async () => {
    const stateDir = path.join(work, 'sigint', 'state');
    let sent = false;
    const result = await runCli(['run', ...dirs('sigint')], {
      cwd: ROOT,
      onStdout: (stdout, child) => {
        if (!sent && /Train: Executing|Preprocess: Succeeded/.test(stdout)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(result.code).toBe(130);
    const executionArn = /(arn:aws:sagemaker:[^ ]+\/execution\/[a-z0-9]+)/.exec(result.stdout)?.[1];
    expect(executionArn).toBeDefined();
    expect(processesMentioning(stateDir)).toEqual([]);

    const local = await startLocalAws({ port: 0, stateDir, quiet: true });
    try {
      const sagemaker = createClient(SageMakerClient, localClientOptions('us-east-1', local.endpoint));
      const described = await sagemaker.send(
        new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn }),
      );
      expect(described.PipelineExecutionStatus).toBe('Stopped');
    } finally {
      await local.stop();
    }
  }, 120_000);

  it('Ctrl-C ends at once when the local AWS it deploys to died during the deploy', async () => {
    const local = spawn(
      process.execPath,
      [CLI, 'local', 'start', '--port', '0', ...dirs('died').slice(0, 2)],
      {
        cwd: ROOT,
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const env = await new Promise<Record<string, string>>((resolve, reject) => {
        let banner = '';
        local.stdout.on('data', (chunk: Buffer) => {
          banner += chunk.toString();
          const exports = [...banner.matchAll(/^export (AWS_\w+)=(.*)$/gm)];
          if (exports.length >= 5)
            resolve(Object.fromEntries(exports.map((found) => [found[1]!, found[2]!])));
        });
        local.once('exit', (code) => reject(new Error(`mlops local start exited with ${code}`)));
      });
      let interruptedAt: number | undefined;
      const result = await runCli(['run', ...dirs('died').slice(2)], {
        cwd: ROOT,
        env: cleanEnv(env),
        onStdout: (stdout, child) => {
          if (interruptedAt === undefined && stdout.includes('Creating change set')) {
            interruptedAt = Date.now();
            local.kill('SIGKILL');
            child.kill('SIGINT');
          }
        },
      });
      expect(interruptedAt).toBeDefined();
      expect(result.code).toBe(130);
      // Before: the deploy's waits kept retrying the dead endpoint (3.6 s here, over 20 s seen).
      expect(Date.now() - interruptedAt!).toBeLessThan(2_000);
    } finally {
      local.kill('SIGKILL');
    }
  }, 120_000);

  describe('bad setups give one clear line, a non-zero exit and write nothing', () => {
    const expectCleanFailure = async (
      name: string,
      args: readonly string[],
      env: NodeJS.ProcessEnv,
      message: RegExp,
    ) => {
      const result = await runCli(['run', ...dirs(name), ...args], { cwd: ROOT, env });
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(fs.existsSync(path.join(work, name))).toBe(false);
    };

    it('missing Python libraries', async () => {
      const bare =
        spawnSync('bash', ['-c', 'command -v python3'], {
          encoding: 'utf8',
          env: cleanEnv(),
        }).stdout.trim() || '/bin/false';
      await expectCleanFailure(
        'python',
        [],
        cleanEnv({ MLOPS_PYTHON: bare === '/usr/bin/python3' ? '/bin/false' : bare }),
        /cannot import xgboost, sklearn, pandas/,
      );
    }, 60_000);

    it('port in use', async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as net.AddressInfo).port;
      try {
        await expectCleanFailure(
          'port',
          ['--port', String(port)],
          cleanEnv(),
          new RegExp(`port ${port} is in use`),
        );
      } finally {
        server.close();
      }
    }, 60_000);

    it('unreadable data file', async () => {
      await expectCleanFailure(
        'data',
        ['--data', path.join(work, 'missing.csv')],
        cleanEnv(),
        /data file .*missing\.csv does not exist/,
      );
    }, 60_000);

    it('--target aws without region or settings', async () => {
      await expectCleanFailure(
        'aws-config',
        ['--target', 'aws'],
        cleanEnv(),
        /--target aws needs --region .*--role-arn/,
      );
    }, 60_000);

    it('--target aws without credentials', async () => {
      const env = cleanEnv({
        AWS_REGION: 'eu-west-1',
        MLOPS_ROLE_ARN: 'arn:aws:iam::123456789012:role/SageMakerExecutionRole',
        MLOPS_BUCKET: 'my-bucket',
        MLOPS_LAMBDA_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:record-model-name',
        AWS_CONFIG_FILE: path.join(work, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'),
      });
      await expectCleanFailure('aws-credentials', ['--target', 'aws'], env, /no AWS credentials found/);
    }, 60_000);
  });
});
