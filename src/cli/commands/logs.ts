import { existsSync, readFileSync } from 'node:fs';

import type { Command } from 'commander';

import { jobLogPath } from '../../../local/runtimes/job-directory';
import { createPipelineClients } from '../../pipeline/clients';
import { listExecutionSteps, type StepView } from '../../pipeline/steps';
import { addConnectionOptions, withConnection, type Connection, type ConnectionFlags } from '../connection';
import { EXIT } from '../exit-codes';

const EXECUTION_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:pipeline\/[^/]+\/execution\/[A-Za-z0-9]+$/;
const JOB_KINDS = new Set(['ProcessingJob', 'TrainingJob', 'TransformJob']);

/** `mlops logs <execution> [--step <name>]`: the logs of an execution's jobs. */
export function registerLogsCommand(program: Command): void {
  addConnectionOptions(
    program
      .command('logs')
      .description("Print the job logs of an execution's Processing, Training and Transform steps")
      .argument('<execution-arn>', 'the pipeline execution')
      .option('--step <name>', 'only this step'),
  ).action((executionArn: string, flags: ConnectionFlags & { step?: string }) =>
    printLogs(executionArn, flags),
  );
}

async function printLogs(executionArn: string, flags: ConnectionFlags & { step?: string }): Promise<void> {
  if (!EXECUTION_ARN.test(executionArn)) {
    process.stderr.write(
      `mlops: <execution-arn> must look like arn:aws:sagemaker:<region>:<account>:pipeline/<name>/execution/<id>; got "${executionArn}"\n`,
    );
    process.exitCode = EXIT.badInput;
    return;
  }
  await withConnection(
    flags,
    async (connection) => {
      const steps = await listExecutionSteps(
        createPipelineClients(connection.clientOptions).sagemaker,
        executionArn,
      );
      const jobs = steps.filter(
        (step) => step.kind !== undefined && JOB_KINDS.has(step.kind) && step.resourceArn,
      );
      const chosen = flags.step ? jobs.filter((step) => step.name === flags.step) : jobs;
      if (flags.step && chosen.length === 0) {
        const names = jobs.map((step) => step.name).join(', ') || 'none';
        process.stderr.write(
          `mlops: --step ${flags.step} is not a job step of this execution (job steps: ${names})\n`,
        );
        process.exitCode = EXIT.badInput;
        return;
      }
      for (const step of chosen) process.stdout.write(renderStepLog(step, connection));
    },
    { readOnly: true },
  );
}

function renderStepLog(step: StepView, connection: Connection): string {
  const header = `==> ${step.name} (${step.status}) ${step.resourceArn} <==\n`;
  if (connection.target === 'aws' || !connection.stateDir) {
    const group =
      step.kind === 'TrainingJob'
        ? 'TrainingJobs'
        : step.kind === 'TransformJob'
          ? 'TransformJobs'
          : 'ProcessingJobs';
    const job = step.resourceArn?.split('/').pop() ?? '';
    return `${header}CloudWatch Logs: log group /aws/sagemaker/${group}, streams starting with ${job}/\n\n`;
  }
  const file = jobLogPath(connection.stateDir, step.resourceArn ?? '');
  return `${header}${existsSync(file) ? readFileSync(file, 'utf8') : `(no log at ${file})\n`}\n`;
}
