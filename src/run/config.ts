import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import { abaloneDefaults } from '../../pipeline/synth';

export type Target = 'local' | 'aws';

/** Everything the main job needs, resolved from flags, environment and the config file. */
export interface RunConfig {
  readonly target: Target;
  readonly region: string;
  readonly roleArn: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly lambdaArn: string;
  readonly pipelineName: string;
  readonly modelPackageGroup: string;
  readonly modelNameParameter: string;
  readonly stackName: string;
  readonly dataFile: string;
  /** Where the definition, manifest and endpoint template are written. */
  readonly buildDir: string;
  /** Local target: the local AWS's port (0 = any free port) and state directory. */
  readonly port: number;
  readonly stateDir: string;
  /** Extra execution parameters (`--parameter Name=Value`). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly manualApproval: boolean;
  readonly keep: boolean;
  readonly timeoutMinutes: number;
}

/** What a user may set: flags win over environment, environment over the config file. */
export interface RunSettings {
  readonly target?: string;
  readonly region?: string;
  readonly roleArn?: string;
  readonly bucket?: string;
  readonly prefix?: string;
  readonly lambdaArn?: string;
  readonly pipelineName?: string;
  readonly modelPackageGroup?: string;
  readonly modelNameParameter?: string;
  readonly stackName?: string;
  readonly data?: string;
  readonly buildDir?: string;
  readonly port?: number;
  readonly stateDir?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly manualApproval?: boolean;
  readonly keep?: boolean;
  readonly timeoutMinutes?: number;
}

/** A setting the chosen target cannot do without; the message names every way to give it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const DEFAULT_CONFIG_FILE = 'mlops.config.json';

/** Environment variables read for `--target aws` (and honoured for local too). */
const ENV_NAMES = {
  region: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
  roleArn: ['MLOPS_ROLE_ARN'],
  bucket: ['MLOPS_BUCKET'],
  lambdaArn: ['MLOPS_LAMBDA_ARN'],
  pipelineName: ['MLOPS_PIPELINE_NAME'],
  modelPackageGroup: ['MLOPS_MODEL_PACKAGE_GROUP'],
  stackName: ['MLOPS_STACK_NAME'],
  modelNameParameter: ['MLOPS_MODEL_NAME_PARAMETER'],
} as const;

const FLAG_NAMES: Readonly<Record<keyof typeof ENV_NAMES, string>> = {
  region: '--region',
  roleArn: '--role-arn',
  bucket: '--bucket',
  lambdaArn: '--lambda-arn',
  pipelineName: '--pipeline-name',
  modelPackageGroup: '--model-package-group',
  stackName: '--stack-name',
  modelNameParameter: '--model-name-parameter',
};

/** Keys a settings file may hold: the RunSettings members (flags win over them). */
const FILE_KEYS: readonly string[] = [
  'target',
  'region',
  'roleArn',
  'bucket',
  'prefix',
  'lambdaArn',
  'pipelineName',
  'modelPackageGroup',
  'modelNameParameter',
  'stackName',
  'data',
  'buildDir',
  'port',
  'stateDir',
  'parameters',
  'manualApproval',
  'keep',
  'timeoutMinutes',
];

/**
 * Reads a settings file. The default file may be absent; a file named with `--config` must exist. Unknown
 * keys are refused, naming them, so a typo does not silently fall back to a default.
 */
export function readConfigFile(file: string, options: { required?: boolean } = {}): RunSettings {
  if (!existsSync(file)) {
    if (!options.required) return {};
    throw new ConfigError(`--config: ${path.resolve(file)} does not exist; expected a JSON settings file`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('expected a JSON object');
  } catch (error) {
    throw new ConfigError(`could not read ${file}: ${(error as Error).message}`);
  }
  const unknown = Object.keys(parsed).filter((key) => !FILE_KEYS.includes(key));
  if (unknown.length > 0)
    throw new ConfigError(
      `${file}: unknown setting ${unknown.join(', ')}; expected some of ${FILE_KEYS.join(', ')}`,
    );
  return parsed as RunSettings;
}

function fromEnv(name: keyof typeof ENV_NAMES, env: NodeJS.ProcessEnv): string | undefined {
  return ENV_NAMES[name]
    .map((variable) => env[variable])
    .find((value) => value !== undefined && value !== '');
}

export function resolveRunConfig(
  flags: RunSettings,
  options: { env?: NodeJS.ProcessEnv; file?: RunSettings; cwd?: string } = {},
): RunConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? {};
  const cwd = options.cwd ?? process.cwd();
  const target = parseTarget(flags.target ?? file.target ?? 'local');
  const pick = (name: keyof typeof ENV_NAMES): string | undefined =>
    flags[name] ?? fromEnv(name, env) ?? file[name];

  const region = pick('region') ?? (target === 'local' ? 'us-east-1' : undefined);
  if (target === 'aws')
    requireAwsSettings({
      region,
      roleArn: pick('roleArn'),
      bucket: pick('bucket'),
      lambdaArn: pick('lambdaArn'),
    });
  const defaults = abaloneDefaults(region);
  const pipelineName = pick('pipelineName') ?? 'abalone-pipeline';
  return {
    target,
    region: region ?? defaults.region,
    roleArn: pick('roleArn') ?? defaults.roleArn,
    bucket: pick('bucket') ?? defaults.bucket,
    prefix: flags.prefix ?? file.prefix ?? pipelineName,
    lambdaArn: pick('lambdaArn') ?? defaults.lambdaFunctionArn,
    pipelineName,
    modelPackageGroup: pick('modelPackageGroup') ?? defaults.modelPackageGroupName,
    modelNameParameter: pick('modelNameParameter') ?? defaults.modelNameParameter,
    stackName: pick('stackName') ?? (target === 'local' ? 'abalone-endpoint-local' : 'abalone-endpoint'),
    dataFile: path.resolve(
      cwd,
      flags.data ?? file.data ?? path.join(__dirname, '..', '..', 'data', 'abalone.csv'),
    ),
    buildDir: path.resolve(cwd, flags.buildDir ?? file.buildDir ?? 'build'),
    port: flags.port ?? file.port ?? 0,
    stateDir: path.resolve(cwd, flags.stateDir ?? file.stateDir ?? path.join('.mlops', 'local')),
    parameters: { ...file.parameters, ...flags.parameters },
    manualApproval: flags.manualApproval ?? file.manualApproval ?? false,
    keep: flags.keep ?? false,
    timeoutMinutes: flags.timeoutMinutes ?? file.timeoutMinutes ?? 120,
  };
}

function parseTarget(value: string): Target {
  if (value === 'local' || value === 'aws') return value;
  throw new ConfigError(`--target must be "local" or "aws"; got "${value}"`);
}

function requireAwsSettings(
  values: Readonly<Record<'region' | 'roleArn' | 'bucket' | 'lambdaArn', string | undefined>>,
): void {
  const missing = (Object.keys(values) as (keyof typeof values)[]).filter((name) => !values[name]);
  if (missing.length === 0) return;
  const how = missing.map(
    (name) => `${FLAG_NAMES[name]} (or ${ENV_NAMES[name].join('/')}, or "${name}" in ${DEFAULT_CONFIG_FILE})`,
  );
  throw new ConfigError(`--target aws needs ${how.join(', ')}`);
}
