import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { startLocalAws } from '../../../local';
import { AWS_CLIS, runAwsCli } from '../local/aws-cli';

const run = promisify(execFile);
const PROGRAM = path.join(__dirname, 'conformance.py');
/** The models the local AWS follows; the program breaks their constraints and tells newer enum values. */
const MODELS = path.resolve(__dirname, '../../../local/models');
/** The endpoint the scenario leaves in service for the CLIs' `wait endpoint-in-service`. */
const CLI_ENDPOINT = 'cli-endpoint';

/** The clients that judge the local AWS: Debian's botocore and the one AWS CLI v1 bundles (pyenv). */
export const CLIENTS: readonly { readonly name: string; readonly python: string }[] = [
  { name: 'botocore (Debian, /usr/bin/python3)', python: '/usr/bin/python3' },
  { name: 'botocore (AWS CLI v1, python3 on PATH)', python: 'python3' },
];

export interface InvalidFigures {
  readonly sent: number;
  readonly refused: number;
  readonly accepted: string[];
  readonly wrong_error: string[];
  /** Refused with the validation error, but the message names another member than the one broken. */
  readonly wrong_member: string[];
  /** Requests the client itself would not send (it checks the value before sending). */
  readonly unsendable: string[];
}

export interface ServiceFigures {
  readonly implemented: string[];
  readonly answers: Record<string, { calls: number; problems: string[] }>;
  /** Outcome per waiter of an implemented operation: `ok`, `not applicable: why`, `failed: ...`, `not run: ...`. */
  readonly waiters: Record<string, string>;
  readonly paginators: Record<string, string>;
  /** Differences between the client's older model and the model served (newer enum values, ...). */
  readonly notes: string[];
  readonly invalid: InvalidFigures;
}

export interface ConformanceRun {
  readonly client: string;
  readonly botocore: string;
  readonly seconds: { scenario: number; total: number };
  readonly slowest_steps: [number, string][];
  /** The services the local AWS serves from a model (what each client must judge). */
  readonly served: string[];
  readonly services: Record<string, ServiceFigures>;
}

export interface CliWait {
  readonly cli: string;
  readonly version: string;
  readonly waiter: string;
  readonly exitCode: number;
}

/** Both AWS CLIs' `aws sagemaker wait endpoint-in-service`, of the endpoint the first client left. */
async function cliWaits(endpoint: string): Promise<CliWait[]> {
  const waits = AWS_CLIS.map(async (cli) => {
    const version = await runAwsCli(cli, endpoint, ['--version']);
    const args = ['sagemaker', 'wait', 'endpoint-in-service', '--endpoint-name', CLI_ENDPOINT];
    const result = await runAwsCli(cli, endpoint, args);
    return {
      cli: cli.name,
      version: `${version.stdout}${version.stderr}`.trim().split(' ')[0]!,
      waiter: 'endpoint-in-service',
      exitCode: result.code,
    };
  });
  return Promise.all(waits);
}

export interface ConformanceResult {
  readonly runs: ConformanceRun[];
  readonly cliWaits: CliWait[];
}

/** One client's run against a local AWS of its own (so neither sees the other's resources in lists). */
async function runClient(
  client: (typeof CLIENTS)[number],
  options: { stateDir: string; keepEndpoint: boolean },
): Promise<{ run: ConformanceRun; endpoint: string; stop: () => Promise<void> }> {
  const aws = await startLocalAws({ port: 0, stateDir: options.stateDir, quiet: true });
  try {
    const listFile = path.join(options.stateDir, 'implemented.json');
    fs.writeFileSync(listFile, JSON.stringify(aws.implemented));
    const args = [PROGRAM, aws.endpoint, listFile, MODELS, ...(options.keepEndpoint ? [CLI_ENDPOINT] : [])];
    const { stdout } = await run(client.python, args, {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
    });
    const parsed = JSON.parse(stdout) as Omit<ConformanceRun, 'client' | 'served'>;
    const served = Object.keys(aws.implemented).sort();
    return {
      run: { client: client.name, served, ...parsed },
      endpoint: aws.endpoint,
      stop: () => aws.stop(),
    };
  } catch (error) {
    await aws.stop();
    throw error;
  }
}

/** Runs the conformance program of both clients at once (a local AWS each), then the CLIs' waits. */
export async function runConformance(): Promise<ConformanceResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-conformance-'));
  const outcomes = await Promise.allSettled(
    CLIENTS.map((client, index) =>
      runClient(client, { stateDir: path.join(root, String(index)), keepEndpoint: index === 0 }),
    ),
  );
  const started = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  try {
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return { runs: started.map((one) => one.run), cliWaits: await cliWaits(started[0]!.endpoint) };
  } finally {
    await Promise.all(started.map((one) => one.stop()));
    fs.rmSync(root, { recursive: true, force: true });
  }
}
