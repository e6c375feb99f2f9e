import * as fs from 'node:fs';

import { Command } from 'commander';

import { quietNodeVersionWarning } from '../aws/quiet-node-version-warning';
import { EXIT } from './exit-codes';

type Register = (program: Command) => void;

/**
 * The command groups, each in its own module under ./commands, loaded only when the command line needs
 * it: `mlops run` loads run's module alone, `mlops --help` none (their names come from the commands file).
 */
const GROUPS: Readonly<Record<string, () => Promise<Register>>> = {
  run: () => import('./commands/run').then((module) => module.registerRunCommand),
  pipeline: () => import('./commands/pipeline').then((module) => module.registerPipelineCommands),
  local: () => import('./commands/local').then((module) => module.registerLocalCommands),
  aws: () => import('./commands/aws-commands').then((module) => module.registerAwsCommands),
  approval: () => import('./commands/approval').then((module) => module.registerApprovalCommands),
  logs: () => import('./commands/logs').then((module) => module.registerLogsCommand),
  monitor: () => import('./commands/monitor').then((module) => module.registerMonitorCommands),
};

/** Each group's top-level commands, as written by a run that loaded them all. */
type CommandsFile = Record<string, { name: string; description: string; term: string }[]>;

export interface MainOptions {
  /** Where the command names and descriptions are kept for the build the CLI runs from (bin/mlops.js). */
  readonly commandsFile?: string;
}

function baseProgram(): Command {
  return (
    new Command('mlops')
      .description('Build, gate and deploy SageMaker models — against AWS or an offline local AWS.')
      .version(version(), '-V, --version')
      .showHelpAfterError()
      .configureOutput({ outputError: (text, write) => write(text) })
      .addHelpText(
        'after',
        `\nExit codes: ${EXIT.ok} success, ${EXIT.failed} failed (pipeline, gate, deploy, validation), ${EXIT.badInput} bad input or setup, ${EXIT.interrupted} interrupted.`,
      )
      // Usage errors exit with the documented "bad input" code; help and --version exit 0.
      .exitOverride((error) => process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.badInput))
  );
}

/**
 * Only the group the command line names is loaded; the others stand as name and description (enough for
 * the help and for "unknown command" suggestions). Without a commands file every group is loaded, and the
 * file is written for the next start.
 */
async function programFor(argv: readonly string[], options: MainOptions): Promise<Command> {
  const known = options.commandsFile ? readCommandsFile(options.commandsFile) : undefined;
  const operand = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const wanted = known
    ? Object.keys(known).filter((group) => known[group]?.some((command) => command.name === operand))
    : [];
  if (!known || (operand !== undefined && wanted.length === 0)) return loadAll(options.commandsFile);
  const program = baseProgram();
  const terms = new Map<Command, string>();
  for (const [group, load] of Object.entries(GROUPS)) {
    if (wanted.includes(group)) (await load())(program);
    else
      for (const stub of known[group] ?? [])
        terms.set(program.command(stub.name).description(stub.description), stub.term);
  }
  // The help lists a stub as its loaded command would be listed (`logs [options] <execution-arn>`).
  const help = program.createHelp();
  return program.configureHelp({
    subcommandTerm: (command) => terms.get(command) ?? help.subcommandTerm(command),
  });
}

async function loadAll(commandsFile: string | undefined): Promise<Command> {
  const program = baseProgram();
  const commands: CommandsFile = {};
  for (const [group, load] of Object.entries(GROUPS)) {
    const before = program.commands.length;
    (await load())(program);
    const help = program.createHelp();
    commands[group] = program.commands.slice(before).map((command) => ({
      name: command.name(),
      description: command.description(),
      term: help.subcommandTerm(command),
    }));
  }
  if (commandsFile) writeCommandsFile(commandsFile, commands);
  return program;
}

function readCommandsFile(file: string): CommandsFile | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as CommandsFile;
    return Object.keys(GROUPS).every((group) => Array.isArray(parsed[group])) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function writeCommandsFile(file: string, commands: CommandsFile): void {
  try {
    const temporary = `${file}.${process.pid}`;
    fs.writeFileSync(temporary, JSON.stringify(commands));
    fs.renameSync(temporary, file);
  } catch {
    // A read-only install: the next start loads every group again.
  }
}

function version(): string {
  return (require('../../package.json') as { version: string }).version;
}

/** Runs the CLI (bin/mlops.js calls it). */
export function main(argv: readonly string[] = process.argv, options: MainOptions = {}): Promise<void> {
  quietNodeVersionWarning();
  return programFor(argv, options)
    .then((program) => program.parseAsync([...argv]))
    .then(() => undefined)
    .catch((error: unknown) => {
      process.stderr.write(`mlops: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = process.exitCode || EXIT.failed;
    });
}
