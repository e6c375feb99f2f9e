import { appendFileSync, readFileSync } from 'node:fs';

import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { Command } from 'commander';

import { createClient } from '../../aws/clients';
import { runDriftCheck } from '../../monitor/drift-check';
import { githubWorkflowDispatcher, retrainOnDrift } from '../../monitor/retrain';
import { parseScale, sendShiftedTraffic } from '../../monitor/shifted-traffic';
import { driftSummaryMarkdown } from '../../monitor/summary';
import { addConnectionOptions, withConnection, type ConnectionFlags } from '../connection';
import { EXIT } from '../exit-codes';

/** Model Monitor's analyzer image of a region (the account that publishes it in us-east-1 and most regions). */
const analyzerImage = (region: string) =>
  `156813124566.dkr.ecr.${region}.amazonaws.com/sagemaker-model-monitor-analyzer`;

interface DriftFlags extends ConnectionFlags {
  endpoint: string;
  baselineStatistics: string;
  baselineConstraints: string;
  output: string;
  role: string;
  windowHours: string;
  limit: string;
  image?: string;
  dispatchWorkflow?: string;
  repository?: string;
  ref: string;
}

/** `mlops monitor drift-check | send-traffic`: drift checks that can trigger retraining, and drift on demand. */
export function registerMonitorCommands(program: Command): void {
  const monitor = program
    .command('monitor')
    .description('Drift checks of a deployed endpoint, and drift on demand');
  addConnectionOptions(
    monitor
      .command('drift-check')
      .description(
        "Analyse the endpoint's recent capture against the baseline (a NOW monitoring schedule), write a table per feature (to GITHUB_STEP_SUMMARY when set) and dispatch retraining when the violations reach --limit",
      )
      .requiredOption('--endpoint <name>', 'the endpoint (its data capture must be enabled)')
      .requiredOption(
        '--baseline-statistics <s3-uri>',
        "the baseline's statistics.json (the model package's DriftCheckBaselines)",
      )
      .requiredOption('--baseline-constraints <s3-uri>', "the baseline's constraints.json")
      .requiredOption('--output <s3-uri>', 'where the monitoring reports go')
      .requiredOption('--role <arn>', 'the role the monitoring job runs as')
      .option('--window-hours <n>', 'hours of capture to analyse, 1-24', '1')
      .option('--limit <n>', 'violations at which retraining is dispatched', '1')
      .option('--image <uri>', "the analyzer image (default: Model Monitor's of the region)")
      .option(
        '--dispatch-workflow <file>',
        'workflow to dispatch (workflow_dispatch) when the limit is reached, e.g. train-deploy.yml',
      )
      .option('--repository <owner/name>', 'repository of that workflow (default GITHUB_REPOSITORY)')
      .option('--ref <ref>', 'ref the workflow runs on', 'main'),
  ).action((flags: DriftFlags) => driftCheck(flags));
  addConnectionOptions(
    monitor
      .command('send-traffic')
      .description(
        'Send CSV rows with chosen features scaled to an endpoint (drift on demand, for demos and tests)',
      )
      .requiredOption('--endpoint <name>', 'the endpoint')
      .requiredOption('--rows <file>', 'CSV rows of endpoint input, no header, no label')
      .requiredOption('--scale <features>', 'features and factors, e.g. _c1=1.6,_c4=2'),
  ).action((flags: ConnectionFlags & { endpoint: string; rows: string; scale: string }) =>
    sendTraffic(flags),
  );
}

function positiveInteger(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`${flag} must be a positive whole number; got "${value}"`);
  return number;
}

async function driftCheck(flags: DriftFlags): Promise<void> {
  let limit: number;
  let windowHours: number;
  try {
    limit = positiveInteger('--limit', flags.limit);
    windowHours = positiveInteger('--window-hours', flags.windowHours);
  } catch (error) {
    process.stderr.write(`mlops: ${(error as Error).message}\n`);
    process.exitCode = EXIT.badInput;
    return;
  }
  await withConnection(flags, async (connection) => {
    const options = connection.clientOptions;
    const result = await runDriftCheck({
      sagemaker: createClient(SageMakerClient, options),
      s3: createClient(S3Client, options),
      endpointName: flags.endpoint,
      baseline: { statistics: flags.baselineStatistics, constraints: flags.baselineConstraints },
      imageUri: flags.image ?? analyzerImage(options.region ?? 'us-east-1'),
      roleArn: flags.role,
      outputS3Uri: flags.output,
      windowHours,
      progress: (message) => process.stderr.write(`${message}\n`),
    });
    const repository = flags.repository ?? process.env.GITHUB_REPOSITORY;
    const dispatcher =
      flags.dispatchWorkflow && repository
        ? githubWorkflowDispatcher({
            repository,
            workflow: flags.dispatchWorkflow,
            ref: flags.ref,
            token: process.env.GITHUB_TOKEN ?? '',
            // GitHub Enterprise Server (and a stand-in) answer on another API URL; Actions sets it.
            ...(process.env.GITHUB_API_URL ? { apiUrl: process.env.GITHUB_API_URL } : {}),
          })
        : {
            dispatch: async (reason: string) =>
              void process.stderr.write(`retraining needed (no --dispatch-workflow): ${reason}\n`),
          };
    const decision = await retrainOnDrift(result, { limit, dispatcher });
    const summary = driftSummaryMarkdown(flags.endpoint, result, decision);
    process.stdout.write(summary);
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary);
    if (!result.status.startsWith('Completed')) process.exitCode = EXIT.failed;
  });
}

async function sendTraffic(
  flags: ConnectionFlags & { endpoint: string; rows: string; scale: string },
): Promise<void> {
  let scale: Record<string, number>;
  let rows: string[];
  try {
    scale = parseScale(flags.scale);
    rows = readFileSync(flags.rows, 'utf8').split('\n');
  } catch (error) {
    process.stderr.write(`mlops: ${(error as Error).message}\n`);
    process.exitCode = EXIT.badInput;
    return;
  }
  await withConnection(flags, async (connection) => {
    const sent = await sendShiftedTraffic({
      runtime: createClient(SageMakerRuntimeClient, connection.clientOptions),
      endpointName: flags.endpoint,
      rows,
      scale,
    });
    process.stdout.write(`sent ${sent} row(s) to ${flags.endpoint} with ${flags.scale}\n`);
  });
}
