import type { Command } from 'commander';

import type { LocalAws } from '../../../local/index';
import type { AwsClientOptions } from '../../aws/clients';
import {
  ConfigError,
  DEFAULT_CONFIG_FILE,
  readConfigFile,
  resolveRunConfig,
  type RunConfig,
  type RunSettings,
} from '../../run/config';
import { checkRunConfig, checkRunParameters } from '../../run/config-checks';
import { runMainJob, synthesizeRunPipeline, type RunResult } from '../../run/main-job';
import { describePlan } from '../../run/plan';
import { checkPrerequisites, PrerequisiteError } from '../../run/prerequisites';
import { renderRunReport } from '../../run/report';
import { StageTimer } from '../../run/stages';
import { terminalReporter } from '../cli-reporter';
import { localClientOptions, servedStateDir } from '../connection';
import { EXIT } from '../exit-codes';
import { parseKeyValue, parsePort, parsePositiveNumber } from '../parsers';
import { createTerminal, type Terminal } from '../terminal';

interface RunFlags extends RunSettings {
  /** `--parameter Name=Value`, collected (commander names the key after the flag). */
  readonly parameter?: Readonly<Record<string, string>>;
  readonly config?: string;
  readonly plan?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** `mlops run`: the whole flow, offline against the local AWS by default. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description(
      'Train, gate, register and deploy the abalone model end to end: against an in-process local AWS by default ' +
        '(or the one AWS_ENDPOINT_URL points at), or a real account with --target aws',
    )
    .option('--target <target>', 'local or aws', undefined)
    .option('--region <region>', 'AWS region (aws: required, or AWS_REGION)')
    .option('--role-arn <arn>', 'SageMaker execution role (aws: required, or MLOPS_ROLE_ARN)')
    .option('--bucket <name>', 'artifact bucket (aws: required, or MLOPS_BUCKET)')
    .option('--lambda-arn <arn>', 'record-model-name function (aws: required, or MLOPS_LAMBDA_ARN)')
    .option('--pipeline-name <name>', 'pipeline name (default abalone-pipeline)')
    .option('--model-package-group <name>', 'model package group (default abalone-models)')
    .option(
      '--model-name-parameter <name>',
      'SSM parameter the Lambda writes the model name to (default /mlops/abalone/model-name)',
    )
    .option('--stack-name <name>', 'endpoint stack (default abalone-endpoint-local / abalone-endpoint)')
    .option('--data <csv>', 'the abalone data (default data/abalone.csv)')
    .option(
      '--build-dir <dir>',
      'where definition, manifest and endpoint template are written (default build)',
    )
    .option('--port <port>', 'local AWS port; 0 picks a free one (default 0)', parsePort)
    .option('--state-dir <dir>', 'local AWS state (default .mlops/local)')
    .option(
      '--parameter <Name=Value>',
      'execution parameter, repeatable (e.g. RmseThreshold=2.5)',
      collectParameter,
      {},
    )
    .option(
      '--timeout-minutes <minutes>',
      'give up on the execution and the deployment after this long (default 120)',
      parsePositiveNumber,
    )
    .option(
      '--manual-approval',
      "stop after registration; print the approvers' message (offline) and the `mlops approve` command to continue",
    )
    .option('--keep', 'leave the local AWS and the endpoint running until Ctrl-C')
    .option('--plan', 'print what would be done, and do nothing')
    .option('--config <file>', `settings file (default ${DEFAULT_CONFIG_FILE} when present)`)
    .option('--json', 'print the result as JSON on stdout (progress goes to stderr)')
    .option('--verbose', 'show step details and log groups')
    .addHelpText(
      'after',
      '\nExit codes: 0 deployed (or awaiting approval), 1 pipeline, gate or deploy failed, 2 bad setup or input, 130 interrupted.',
    )
    .action((flags: RunFlags) => runCommand(flags));
}

function collectParameter(value: string, previous: Record<string, string>): Record<string, string> {
  const [name, parameterValue] = parseKeyValue(value, '--parameter');
  return { ...previous, [name]: parameterValue };
}

async function runCommand(flags: RunFlags): Promise<void> {
  const terminal = createTerminal({ stream: flags.json ? process.stderr : process.stdout });
  let config: RunConfig;
  try {
    const settings: RunSettings = { ...flags, ...(flags.parameter ? { parameters: flags.parameter } : {}) };
    const file = readConfigFile(flags.config ?? DEFAULT_CONFIG_FILE, {
      required: flags.config !== undefined,
    });
    config = resolveRunConfig(settings, { file });
    checkRunConfig(config, { ...file, ...settings });
  } catch (error) {
    return fail(terminal, error, EXIT.badInput);
  }
  const externalEndpoint = config.target === 'local' ? process.env.AWS_ENDPOINT_URL : undefined;
  if (flags.plan) {
    for (const line of describePlan(config, { externalEndpoint })) terminal.line(line);
    return;
  }
  const startsLocalAws = config.target === 'local' && !externalEndpoint;
  try {
    await checkPrerequisites(config, { startsLocalAws });
    checkRunParameters(config, synthesizeRunPipeline(config).definition);
  } catch (error) {
    return fail(terminal, error, EXIT.badInput);
  }
  // The pipeline's first Python job starts within a second: let the ML stack import meanwhile.
  if (startsLocalAws) localAwsModule().warmPythonJobs();
  await runWithLifecycle({ config, flags, terminal, externalEndpoint });
}

interface Lifecycle {
  readonly config: RunConfig;
  readonly flags: RunFlags;
  readonly terminal: Terminal;
  readonly externalEndpoint: string | undefined;
}

/** Starts the local AWS when needed, runs the job, reports, and shuts everything down on any exit path. */
async function runWithLifecycle({ config, flags, terminal, externalEndpoint }: Lifecycle): Promise<void> {
  const abort = new AbortController();
  const stages = new StageTimer(terminal, abort.signal);
  let local: LocalAws | undefined;
  const interrupt = onInterrupt(terminal, abort, () => local?.stop());
  const interrupted = () => interrupt.count() > 0;
  try {
    local =
      config.target === 'local' && !externalEndpoint
        ? await stages.run('start the local AWS', () => startLocal(config), { finishOnAbort: true })
        : undefined;
    if (local) terminal.line(`  listening on ${local.endpoint} (state in ${config.stateDir})`);
    const clientOptions = clientOptionsFor(config, local?.endpoint ?? externalEndpoint);
    const reporter = terminalReporter(terminal, { verbose: flags.verbose ?? false });
    const localStateDir =
      local?.stateDir ?? (externalEndpoint ? await servedStateDir(externalEndpoint) : undefined);
    const result = await runMainJob({
      config,
      clientOptions,
      reporter,
      stages,
      signal: abort.signal,
      ...(localStateDir ? { localStateDir } : {}),
    });
    terminal.done();
    const kept = Boolean(config.keep && local && result.outcome === 'deployed');
    const reportInput = {
      config,
      result,
      timings: stages.timings,
      kept,
      ...(local ? { localEndpoint: local.endpoint } : {}),
      ...(localStateDir ? { localStateDir } : {}),
    };
    if (flags.json)
      process.stdout.write(`${JSON.stringify({ ...result, stages: stages.timings }, null, 2)}\n`);
    else for (const line of renderRunReport(reportInput)) terminal.line(line);
    process.exitCode = interrupted() ? EXIT.interrupted : exitCodeOf(result);
    if (kept && local) {
      interrupt.dispose();
      await keepRunning(terminal, local);
    }
  } catch (error) {
    terminal.done();
    if (interrupted()) {
      terminal.line(`mlops: interrupted (${(error as Error).message})`);
      process.exitCode = EXIT.interrupted;
    } else {
      fail(terminal, error, isSetupError(error) ? EXIT.badInput : EXIT.failed);
    }
  } finally {
    interrupt.dispose();
    await local?.stop();
    // A stage abandoned on Ctrl-C may still be retrying calls to a local AWS that is gone: do not wait for it.
    if (interrupted()) setTimeout(() => process.exit(EXIT.interrupted), ABANDONED_WORK_GRACE_MS).unref();
  }
}

/** Loaded on demand (require: tsx runs the CLI as CommonJS): --target aws and --plan never load the local AWS. */
function localAwsModule(): typeof import('../../../local/index') {
  return require('../../../local/index') as typeof import('../../../local/index');
}

async function startLocal(config: RunConfig): Promise<LocalAws> {
  return localAwsModule().startLocalAws({
    port: config.port,
    stateDir: config.stateDir,
    region: config.region,
    quiet: true,
  });
}

function clientOptionsFor(config: RunConfig, endpoint: string | undefined): AwsClientOptions {
  return config.target === 'aws'
    ? { region: config.region, userAgent: 'mlops-cli' }
    : localClientOptions(config.region, endpoint);
}

/** First Ctrl-C stops the execution and lets the run wind down; a second one stops the local AWS at once. */
const ABANDONED_WORK_GRACE_MS = 500;

function onInterrupt(
  terminal: Terminal,
  abort: AbortController,
  stopLocal: () => Promise<void> | undefined,
): { count: () => number; dispose: () => void } {
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count += 1;
    terminal.done();
    if (count === 1) {
      terminal.line(`mlops: ${signal} received: stopping the execution and shutting down (again to force)`);
      abort.abort(new Error(`${signal} received`));
      return;
    }
    void Promise.resolve(stopLocal()).finally(() => process.exit(EXIT.interrupted));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    count: () => count,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

async function keepRunning(terminal: Terminal, local: LocalAws): Promise<void> {
  terminal.line('The local AWS keeps running (--keep). In another shell:');
  for (const [name, value] of Object.entries(local.env)) terminal.line(`  export ${name}=${value}`);
  terminal.line('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  process.exitCode = EXIT.ok;
}

/** Bad settings, a missing prerequisite, or a state dir another local AWS owns: exit 2, not a failed run. */
function isSetupError(error: unknown): boolean {
  // By name: the local AWS module is loaded only when a run starts one.
  return (
    error instanceof ConfigError ||
    error instanceof PrerequisiteError ||
    (error as Error | undefined)?.name === 'StateDirLockedError'
  );
}

function exitCodeOf(result: RunResult): number {
  if (result.outcome === 'deployed' || result.outcome === 'awaiting-approval') return EXIT.ok;
  if (result.outcome === 'stopped') return EXIT.interrupted;
  return EXIT.failed;
}

function fail(terminal: Terminal, error: unknown, code: number): void {
  terminal.done();
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`mlops: ${message}\n`);
  process.exitCode = code;
}
