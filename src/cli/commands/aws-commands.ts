import { readFileSync } from 'node:fs';

import { ListPipelineExecutionsCommand } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { Command } from 'commander';

import { createClient } from '../../aws/clients';
import { invokeEndpointWithCsv, readCsvRows, rootMeanSquaredError } from '../../deploy/endpoint';
import { createPipelineClients } from '../../pipeline/clients';
import { addConnectionOptions, withConnection, type ConnectionFlags } from '../connection';

interface JsonFlag {
  readonly json?: boolean;
}

/** `mlops executions`, `mlops invoke`: everyday calls against the local AWS or AWS. */
export function registerAwsCommands(program: Command): void {
  addConnectionOptions(
    program
      .command('executions')
      .description("List a pipeline's executions, newest first, with their status")
      .option('--pipeline-name <name>', 'pipeline', 'abalone-pipeline')
      .option('--max <count>', 'how many', '20')
      .option('--json', 'print JSON'),
  ).action((flags: ConnectionFlags & JsonFlag & { pipelineName: string; max: string }) =>
    listExecutions(flags),
  );

  addConnectionOptions(
    program
      .command('invoke')
      .description('Send CSV rows (features only, no header) to an endpoint and print one prediction per row')
      .requiredOption('--endpoint <name>', 'endpoint name')
      .requiredOption('--file <csv>', 'rows to send')
      .option('--labels', 'the first column is the label: strip it before sending and print the RMSE')
      .option('--json', 'print {"predictions": [...], "rmse"?}'),
  ).action((flags: ConnectionFlags & JsonFlag & { endpoint: string; file: string; labels?: boolean }) =>
    invoke(flags),
  );
}

async function listExecutions(
  flags: ConnectionFlags & JsonFlag & { pipelineName: string; max: string },
): Promise<void> {
  await withConnection(flags, async ({ clientOptions }) => {
    const { sagemaker } = createPipelineClients(clientOptions);
    const { PipelineExecutionSummaries = [] } = await sagemaker.send(
      new ListPipelineExecutionsCommand({
        PipelineName: flags.pipelineName,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: Number(flags.max),
      }),
    );
    if (flags.json)
      return void process.stdout.write(`${JSON.stringify(PipelineExecutionSummaries, null, 2)}\n`);
    if (PipelineExecutionSummaries.length === 0)
      return void process.stdout.write(`no executions of ${flags.pipelineName}\n`);
    for (const execution of PipelineExecutionSummaries) {
      const started = execution.StartTime?.toISOString() ?? '';
      process.stdout.write(
        `${(execution.PipelineExecutionStatus ?? '').padEnd(10)} ${started}  ${execution.PipelineExecutionArn}\n`,
      );
    }
  });
}

async function invoke(
  flags: ConnectionFlags & JsonFlag & { endpoint: string; file: string; labels?: boolean },
): Promise<void> {
  const csv = readCsvRows(readFileSync(flags.file, 'utf8'), {
    hasLabels: flags.labels ?? false,
    source: flags.file,
  });
  await withConnection(flags, async ({ clientOptions }) => {
    const runtime = createClient(SageMakerRuntimeClient, clientOptions);
    const predictions = await invokeEndpointWithCsv(runtime, {
      endpointName: flags.endpoint,
      rows: csv.rows,
    });
    const rmse = csv.labels ? rootMeanSquaredError(csv.labels, predictions) : undefined;
    if (flags.json)
      return void process.stdout.write(
        `${JSON.stringify({ predictions, ...(rmse !== undefined ? { rmse } : {}) })}\n`,
      );
    process.stdout.write(predictions.map((value) => `${value}\n`).join(''));
    if (rmse !== undefined) process.stderr.write(`RMSE ${rmse.toFixed(4)} over ${predictions.length} rows\n`);
  });
}
