import { Command } from 'commander';

import { EXIT } from './exit-codes';
import { registerApprovalCommands } from './commands/approval';
import { registerAwsCommands } from './commands/aws-commands';
import { registerLocalCommands } from './commands/local';
import { registerLogsCommand } from './commands/logs';
import { registerPipelineCommands } from './commands/pipeline';
import { registerRunCommand } from './commands/run';

/** Builds the `mlops` program. Each command group lives in its own module under ./commands. */
export function buildProgram(): Command {
  const program = new Command('mlops')
    .description('Build, gate and deploy SageMaker models — against AWS or an offline local AWS.')
    .version(version(), '-V, --version')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) })
    .addHelpText(
      'after',
      `\nExit codes: ${EXIT.ok} success, ${EXIT.failed} failed (pipeline, gate, deploy, validation), ${EXIT.badInput} bad input or setup, ${EXIT.interrupted} interrupted.`,
    )
    // Usage errors exit with the documented "bad input" code; help and --version exit 0.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.badInput));
  program.commands.forEach((command) => command.exitOverride());
  registerRunCommand(program);
  registerPipelineCommands(program);
  registerLocalCommands(program);
  registerAwsCommands(program);
  registerApprovalCommands(program);
  registerLogsCommand(program);
  return program;
}

function version(): string {
  return (require('../../package.json') as { version: string }).version;
}

/** Runs the CLI (bin/mlops.js calls it). */
export function main(argv: readonly string[] = process.argv): Promise<void> {
  return buildProgram()
    .parseAsync([...argv])
    .then(() => undefined)
    .catch((error: unknown) => {
      process.stderr.write(`mlops: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = process.exitCode || EXIT.failed;
    });
}
