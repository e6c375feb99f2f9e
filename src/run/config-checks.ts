import * as fs from 'node:fs';
import * as path from 'node:path';

import { checkExecutionParameters } from '../../pipeline/execution-parameters';
import { PATTERNS } from '../aws/name-patterns';
import { ConfigError, type RunConfig, type RunSettings } from './config';

type Pattern = (typeof PATTERNS)[keyof typeof PATTERNS];

/** Each name the run sends to AWS, with the flag that sets it and the service's shape for it. */
const NAMES: readonly {
  readonly flag: string;
  readonly value: (config: RunConfig) => string;
  readonly shape: Pattern;
}[] = [
  { flag: '--region', value: (config) => config.region, shape: PATTERNS.region },
  { flag: '--role-arn', value: (config) => config.roleArn, shape: PATTERNS.roleArn },
  { flag: '--bucket', value: (config) => config.bucket, shape: PATTERNS.bucketName },
  { flag: '--lambda-arn', value: (config) => config.lambdaArn, shape: PATTERNS.lambdaArn },
  { flag: '--pipeline-name', value: (config) => config.pipelineName, shape: PATTERNS.pipelineName },
  {
    flag: '--model-package-group',
    value: (config) => config.modelPackageGroup,
    shape: PATTERNS.modelPackageGroup,
  },
  {
    flag: '--model-name-parameter',
    value: (config) => config.modelNameParameter,
    shape: PATTERNS.ssmParameterName,
  },
  { flag: '--stack-name', value: (config) => config.stackName, shape: PATTERNS.stackName },
  { flag: 'prefix', value: (config) => config.prefix, shape: PATTERNS.s3Prefix },
];

/** Pseudo file systems: Node's recursive mkdir can loop in /proc, and nothing belongs there. */
const PSEUDO_FILE_SYSTEMS = ['/proc', '/sys', '/dev'];

/**
 * Every name and folder of a resolved run, checked as the services and the file system would take them,
 * before anything starts. A bad one is a ConfigError naming the flag, the value and what is expected.
 */
export function checkRunConfig(config: RunConfig, raw: RunSettings): void {
  checkPathSetting('--state-dir', raw.stateDir);
  checkPathSetting('--build-dir', raw.buildDir);
  checkPathSetting('--data', raw.data);
  for (const { flag, value, shape } of NAMES) {
    const given = value(config);
    if (!shape.pattern.test(given))
      throw new ConfigError(`${flag}: "${given}" is not valid; expected ${shape.expected}`);
  }
  if (config.target === 'local') checkWritableFolder('--state-dir', config.stateDir);
  checkWritableFolder('--build-dir', config.buildDir);
}

/**
 * The run's `--parameter` values against the parameters the definition declares, as the
 * upsert-sagemaker-pipeline action checks its `execution-parameters`.
 */
export function checkRunParameters(config: RunConfig, definition: unknown): void {
  const issues = checkExecutionParameters(definition, config.parameters);
  if (issues.length > 0)
    throw new ConfigError(`--parameter: ${issues.map((problem) => problem.message).join('; ')}`);
}

/** The raw value of a path setting: an empty one would silently mean the working directory. */
function checkPathSetting(flag: string, value: string | undefined): void {
  if (value !== undefined && value.trim() === '')
    throw new ConfigError(`${flag}: got an empty path; expected a path`);
}

/**
 * A folder the run will create or write into: not under /proc, /sys or /dev; a directory if it exists;
 * otherwise its nearest existing parent is a directory; and that one is writable.
 */
export function checkWritableFolder(flag: string, folder: string): void {
  if (folder.trim() === '') throw new ConfigError(`${flag}: got an empty path; expected a path`);
  const absolute = path.resolve(folder);
  const pseudo = PSEUDO_FILE_SYSTEMS.find((root) => absolute === root || absolute.startsWith(`${root}/`));
  if (pseudo)
    throw new ConfigError(`${flag}: ${absolute} is under ${pseudo}; expected a folder on a real file system`);
  let existing = absolute;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  if (!fs.statSync(existing).isDirectory()) {
    const what = existing === absolute ? 'is a file' : `cannot be made: ${existing} is a file`;
    throw new ConfigError(`${flag}: ${absolute} ${what}; expected a folder`);
  }
  try {
    fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw new ConfigError(`${flag}: ${existing} is not writable; expected a folder this user can write`);
  }
}
