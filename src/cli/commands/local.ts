import { type Command, InvalidArgumentError } from 'commander';

import {
  DEFAULT_STATE_DIR,
  type FaultConfig,
  type LocalAws,
  parseFaultConfig,
  startLocalAws,
} from '../../../local';
import { checkWritableFolder } from '../../run/config-checks';
import { EXIT } from '../exit-codes';

const DEFAULT_PORT = 4566;
const STATUS_TIMEOUT_MS = 2000;

interface StartOptions {
  readonly port: number;
  readonly stateDir: string;
  readonly region: string;
  readonly throttleRate?: number;
  readonly errorRate?: number;
  readonly latencyMs?: number;
  readonly verbose?: boolean;
  readonly allowClient: string[];
}

interface FaultOptions {
  readonly endpoint?: string;
  readonly throttleRate?: number;
  readonly errorRate?: number;
  readonly latencyMs?: number;
  readonly services?: string;
}

/** `mlops local start|status|faults`: run and inspect the offline local AWS. */
export function registerLocalCommands(program: Command): void {
  const local = program
    .command('local')
    .description('Run the offline local AWS (S3, SSM, Lambda, SageMaker, CloudFormation)');

  local
    .command('start')
    .description('Run the local AWS in the foreground; Ctrl-C stops it')
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', parsePort, DEFAULT_PORT)
    .option('--state-dir <dir>', 'where buckets, parameters, pipelines... are kept', DEFAULT_STATE_DIR)
    .option('--region <region>', 'region the local AWS answers as', 'us-east-1')
    .option('--throttle-rate <rate>', 'share of calls (0-1) answered with a throttling error', parseRate)
    .option('--error-rate <rate>', 'share of calls (0-1) answered with 500 InternalFailure', parseRate)
    .option('--latency-ms <ms>', 'latency added to every call', parseNonNegative)
    .option('--verbose', 'print one line per request')
    .option(
      '--allow-client <host-or-origin>',
      'also serve this Host (name:port) or browser Origin (http://name:port); repeatable. By default only ' +
        'local SDKs and CLIs are served: a foreign Origin or a non-loopback Host gets 403',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .action((options: StartOptions) => runStart(options));

  local
    .command('status')
    .description('Report whether a local AWS answers (exit 0) or not (exit 1)')
    .option('--endpoint <url>', 'endpoint to check (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566)')
    .action((options: { endpoint?: string }) => runStatus(options.endpoint));

  local
    .command('faults')
    .description('Change fault injection on a running local AWS (no options: turn faults off)')
    .option('--endpoint <url>', 'the local AWS (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566)')
    .option('--throttle-rate <rate>', 'share of calls (0-1) answered with a throttling error', parseRate)
    .option('--error-rate <rate>', 'share of calls (0-1) answered with 500 InternalFailure', parseRate)
    .option('--latency-ms <ms>', 'latency added to every call', parseNonNegative)
    .option('--services <names>', 'comma-separated services affected (default: all)')
    .action((options: FaultOptions) => runFaults(options));
}

async function runStart(options: StartOptions): Promise<void> {
  try {
    // Before anything touches it: Node's recursive mkdir spins forever under /proc.
    checkWritableFolder('--state-dir', options.stateDir);
  } catch (error) {
    process.exitCode = EXIT.badInput;
    throw error;
  }
  const aws = await startLocalAws({
    port: options.port,
    stateDir: options.stateDir,
    region: options.region,
    faults: faultConfig(options),
    allowClients: options.allowClient,
    ...(options.verbose ? { log: (line: string) => process.stdout.write(`${line}\n`) } : {}),
  }).catch((error: unknown) => {
    // A taken port or an unusable state dir is a setup problem, not a failed run.
    process.exitCode = EXIT.badInput;
    throw error;
  });
  process.stdout.write(startBanner(aws));
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stdout.write(`# ${signal}: stopping the local AWS\n`);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await aws.stop();
}

/** What `local start` prints: where it listens, then the lines to paste into another shell. */
export function startBanner(aws: Pick<LocalAws, 'endpoint' | 'stateDir' | 'services' | 'env'>): string {
  const lines = [
    `# local AWS listening on ${aws.endpoint} (state: ${aws.stateDir})`,
    `# services: ${aws.services.join(', ')}`,
    '# to use it from another shell:',
    ...Object.entries(aws.env).map(([name, value]) => `export ${name}=${value}`),
  ];
  return `${lines.join('\n')}\n`;
}

async function runStatus(endpointOption: string | undefined): Promise<void> {
  const endpoint = endpointOf(endpointOption);
  try {
    const response = await fetch(`${endpoint}/_mlops/health`, {
      signal: AbortSignal.timeout(STATUS_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`health check answered HTTP ${response.status}`);
    const health = (await response.json()) as { services?: string[]; stateDir?: string };
    process.stdout.write(
      `local AWS at ${endpoint} is up (services: ${(health.services ?? []).join(', ')}; state: ${health.stateDir})\n`,
    );
  } catch (error) {
    process.stdout.write(`no local AWS answers at ${endpoint}: ${reason(error)}\n`);
    process.exitCode = EXIT.failed;
  }
}

async function runFaults(options: FaultOptions): Promise<void> {
  const endpoint = endpointOf(options.endpoint);
  const config: FaultConfig = {
    ...faultConfig(options),
    ...(options.services ? { services: options.services.split(',').map((name) => name.trim()) } : {}),
  };
  try {
    parseFaultConfig(config);
  } catch (error) {
    process.exitCode = EXIT.badInput;
    throw error;
  }
  const response = await fetch(`${endpoint}/_mlops/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
    signal: AbortSignal.timeout(STATUS_TIMEOUT_MS),
  }).catch((error: unknown) => {
    process.exitCode = EXIT.badInput;
    throw new Error(`no local AWS answers at ${endpoint}: ${reason(error)}`);
  });
  const text = await response.text();
  if (!response.ok) {
    process.exitCode = EXIT.badInput;
    throw new Error(`the local AWS refused the fault settings: ${text}`);
  }
  process.stdout.write(`fault settings now ${text}\n`);
}

function faultConfig(options: {
  throttleRate?: number;
  errorRate?: number;
  latencyMs?: number;
}): FaultConfig {
  return {
    ...(options.throttleRate !== undefined ? { throttleRate: options.throttleRate } : {}),
    ...(options.errorRate !== undefined ? { errorRate: options.errorRate } : {}),
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
  };
}

function endpointOf(option: string | undefined): string {
  return (option ?? process.env.AWS_ENDPOINT_URL ?? `http://127.0.0.1:${DEFAULT_PORT}`).replace(/\/+$/, '');
}

/** fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a timeout...). */
function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`expected a port number from 0 to 65535; got "${value}"`);
  }
  return port;
}

function parseRate(value: string): number {
  const rate = Number(value);
  if (value.trim() === '' || !(rate >= 0 && rate <= 1))
    throw new InvalidArgumentError(`expected a number from 0 to 1; got "${value}"`);
  return rate;
}

function parseNonNegative(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !(number >= 0))
    throw new InvalidArgumentError(`expected a number >= 0; got "${value}"`);
  return number;
}
