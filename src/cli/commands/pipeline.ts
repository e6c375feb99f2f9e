import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { type Command, InvalidArgumentError } from 'commander';

import { diffDefinitions, formatDiff } from '../../../pipeline/diff';
import { definitionGraph } from '../../../pipeline/graph';
import {
  abaloneDefaults,
  synthesizeAbalone,
  writeSynthResult,
  type SynthOptions,
} from '../../../pipeline/synth';
import { validateDefinition, type ValidationIssue } from '../../../pipeline/validate';
import { EXIT } from '../exit-codes';

interface SynthCommandOptions {
  readonly out: string;
  readonly region: string;
  readonly roleArn?: string;
  readonly bucket?: string;
  readonly prefix?: string;
  readonly pipelineName?: string;
  readonly lambdaArn?: string;
  readonly modelPackageGroup?: string;
  readonly modelNameParameter?: string;
  readonly rmseThreshold?: number;
  readonly scriptsDir?: string;
  readonly data?: string;
}

interface JsonOption {
  readonly json?: boolean;
}

const DEFAULT_PIPELINE_NAME = 'abalone-pipeline';

/** A file or option the command cannot use: exits with the "bad input" code. */
class InputError extends Error {}

function reportingInputErrors<Args extends unknown[]>(run: (...args: Args) => void): (...args: Args) => void {
  return (...args) => {
    try {
      run(...args);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      process.stderr.write(`mlops: ${error.message}\n`);
      process.exitCode = EXIT.badInput;
    }
  };
}

/** `mlops pipeline synth|validate|diff`: write, check and compare pipeline definitions. */
export function registerPipelineCommands(program: Command): void {
  const pipeline = program
    .command('pipeline')
    .description('Write, check and compare SageMaker pipeline definitions');
  const defaults = abaloneDefaults();

  pipeline
    .command('synth')
    .description(
      'Write the abalone pipeline definition and, beside it, <name>.assets.json listing the local files it needs in S3. ' +
        'Defaults are placeholders for the local AWS; pass real values for AWS.',
    )
    .option('--out <file>', 'definition file to write', 'build/pipeline.json')
    .option('--region <region>', 'region (picks the SageMaker image accounts)', defaults.region)
    .option('--role-arn <arn>', `role the jobs and the model run as (default: ${defaults.roleArn})`)
    .option('--bucket <name>', `bucket for assets and step outputs (default: ${defaults.bucket})`)
    .option(
      '--pipeline-name <name>',
      `pipeline name; the default S3 prefix (default: ${DEFAULT_PIPELINE_NAME})`,
    )
    .option('--prefix <prefix>', 'S3 key prefix for assets and step outputs (default: the pipeline name)')
    .option(
      '--lambda-arn <arn>',
      'function that records the model name (default: arn:aws:lambda:<region>:000000000000:function:record-model-name)',
    )
    .option(
      '--model-package-group <name>',
      `default model package group (default: ${defaults.modelPackageGroupName})`,
    )
    .option(
      '--model-name-parameter <name>',
      `default SSM parameter for the model name (default: ${defaults.modelNameParameter})`,
    )
    .option('--rmse-threshold <number>', 'default of the RmseThreshold parameter (default: 3)', parseNumber)
    .option('--scripts-dir <dir>', 'folder with preprocess.py and evaluate.py (default: pipeline/scripts)')
    .option('--data <file>', 'the raw abalone CSV (default: data/abalone.csv)')
    .action(reportingInputErrors((options: SynthCommandOptions) => runSynth(options)));

  pipeline
    .command('validate')
    .description(
      'Check a definition file; exit 1 listing every problem with its JSON path, exit 0 when valid',
    )
    .argument('<file>', 'definition JSON file')
    .option('--json', 'print {"file", "valid", "issues": [{path, message}]}')
    .action(reportingInputErrors((file: string, options: JsonOption) => runValidate(file, options)));

  pipeline
    .command('diff')
    .description('Show what changes between two definitions, per parameter and per step (exit 0 either way)')
    .argument('<old>', 'the definition before')
    .argument('<new>', 'the definition after')
    .option('--json', 'print the structured diff')
    .action(
      reportingInputErrors((before: string, after: string, options: JsonOption) =>
        runDiff(before, after, options),
      ),
    );
}

function runSynth(options: SynthCommandOptions): void {
  const defaults = abaloneDefaults(options.region);
  const pipelineName = options.pipelineName ?? DEFAULT_PIPELINE_NAME;
  const synthOptions: SynthOptions = {
    region: options.region,
    roleArn: options.roleArn ?? defaults.roleArn,
    bucket: options.bucket ?? defaults.bucket,
    prefix: options.prefix ?? pipelineName,
    lambdaFunctionArn: options.lambdaArn ?? defaults.lambdaFunctionArn,
    modelPackageGroupName: options.modelPackageGroup ?? defaults.modelPackageGroupName,
    modelNameParameter: options.modelNameParameter ?? defaults.modelNameParameter,
    ...(options.rmseThreshold !== undefined && { rmseThreshold: options.rmseThreshold }),
    ...(options.scriptsDir !== undefined && { scriptsDir: path.resolve(options.scriptsDir) }),
    ...(options.data !== undefined && { dataFile: path.resolve(options.data) }),
  };
  const result = synthesizeOrExplain(synthOptions);
  const { definitionFile, manifestFile } = writeSynthResult(options.out, result);
  const steps = definitionGraph(result.definition).steps.length;
  process.stdout.write(
    `wrote ${relative(definitionFile)} (${steps} steps, ${result.definition.Parameters.length} parameters) ` +
      `and ${relative(manifestFile)} (${result.manifest.assets.length} assets)\n`,
  );
}

/** Synthesis fails only on its inputs (a region without images, a missing script or data file). */
function synthesizeOrExplain(options: SynthOptions): ReturnType<typeof synthesizeAbalone> {
  try {
    return synthesizeAbalone(options);
  } catch (error) {
    throw new InputError(
      `cannot synthesize the pipeline: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

function runValidate(file: string, options: JsonOption): void {
  const issues = validateFile(file);
  process.exitCode = issues.length > 0 ? EXIT.failed : EXIT.ok;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ file, valid: issues.length === 0, issues }, null, 2)}\n`);
  } else if (issues.length === 0) {
    process.stdout.write(`${file}: OK\n`);
  } else {
    const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`);
    process.stdout.write(
      `${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${lines.join('\n')}\n`,
    );
  }
}

/** Issues of a definition file; a file that is not JSON is one issue at `$`. */
function validateFile(file: string): ValidationIssue[] {
  const text = readText(file);
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    return [
      { path: '$', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` },
    ];
  }
  return validateDefinition(definition);
}

function runDiff(before: string, after: string, options: JsonOption): void {
  const diff = diffDefinitions(readJson(before), readJson(after));
  process.stdout.write(options.json ? `${JSON.stringify(diff, null, 2)}\n` : formatDiff(diff));
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readText(file));
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new InputError(`${file} is not valid JSON: ${error.message}`, { cause: error });
    throw error;
  }
}

function parseNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number))
    throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return number;
}

function relative(file: string): string {
  const shown = path.relative(process.cwd(), file);
  return shown.startsWith('..') ? file : shown;
}
