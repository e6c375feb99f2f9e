import { Command } from 'commander';

import { registerLocalCommands } from './commands/local';
import { registerPipelineCommands } from './commands/pipeline';

/** Builds the `mlops` program. Each command group lives in its own module under ./commands. */
export function buildProgram(): Command {
  const program = new Command('mlops')
    .description('Build, gate and deploy SageMaker models — against AWS or an offline local AWS.')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  registerPipelineCommands(program);
  registerLocalCommands(program);
  return program;
}

if (require.main === module || process.argv[1]?.endsWith('mlops.js')) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`mlops: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = process.exitCode || 2;
    });
}
