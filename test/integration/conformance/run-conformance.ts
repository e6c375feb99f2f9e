import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { startLocalAws } from '../../../local';

const run = promisify(execFile);
const PROGRAM = path.join(__dirname, 'conformance.py');

/** The clients that judge the local AWS: Debian's botocore and the one AWS CLI v1 bundles (pyenv). */
export const CLIENTS: readonly { readonly name: string; readonly python: string }[] = [
  { name: 'botocore (Debian, /usr/bin/python3)', python: '/usr/bin/python3' },
  { name: 'botocore (AWS CLI v1, python3 on PATH)', python: 'python3' },
];

export interface ServiceFigures {
  readonly implemented: string[];
  readonly answers: Record<string, { calls: number; problems: string[] }>;
  readonly waiters: Record<string, string>;
  readonly paginators: Record<string, string>;
  readonly invalid: {
    sent: number;
    refused: number;
    accepted: string[];
    wrong_error: string[];
    unsendable: string[];
  };
}

export interface ConformanceRun {
  readonly client: string;
  readonly botocore: string;
  readonly services: Record<string, ServiceFigures>;
}

/** The AWS CLIs: v1 (pyenv, on PATH) and v2 (Debian's awscli package). */
export const CLIS: readonly { readonly name: string; readonly command: string }[] = [
  { name: 'AWS CLI v1', command: 'aws' },
  { name: 'AWS CLI v2', command: '/usr/bin/aws' },
];

export interface CliWait {
  readonly cli: string;
  readonly version: string;
  readonly exitCode: number;
}

/** `aws sagemaker wait endpoint-deleted` of an endpoint that is not there: done at the first poll. */
async function cliWaits(endpoint: string): Promise<CliWait[]> {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  const waits: CliWait[] = [];
  for (const cli of CLIS) {
    const { stdout, stderr } = await run(cli.command, ['--version'], { env });
    const args = [
      '--endpoint-url',
      endpoint,
      'sagemaker',
      'wait',
      'endpoint-deleted',
      '--endpoint-name',
      'none',
    ];
    const exitCode = await run(cli.command, args, { env, timeout: 60_000 }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? 1,
    );
    waits.push({ cli: cli.name, version: `${stdout}${stderr}`.trim().split(' ')[0]!, exitCode });
  }
  return waits;
}

export interface ConformanceResult {
  readonly runs: ConformanceRun[];
  readonly cliWaits: CliWait[];
}

/** Starts a local AWS, runs the conformance program once per client and the CLIs' waits, stops it. */
export async function runConformance(): Promise<ConformanceResult> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-conformance-'));
  const aws = await startLocalAws({ port: 0, stateDir, quiet: true });
  try {
    const listFile = path.join(stateDir, 'implemented.json');
    fs.writeFileSync(listFile, JSON.stringify(aws.implemented));
    const runs: ConformanceRun[] = [];
    for (const client of CLIENTS) {
      const { stdout } = await run(client.python, [PROGRAM, aws.endpoint, listFile], {
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
      });
      const parsed = JSON.parse(stdout) as Omit<ConformanceRun, 'client'>;
      runs.push({ client: client.name, ...parsed });
    }
    return { runs, cliWaits: await cliWaits(aws.endpoint) };
  } finally {
    await aws.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}
