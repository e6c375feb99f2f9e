import * as fs from 'node:fs';

import { parseS3Uri } from '../../aws/s3-objects';
import type { DeployOptions } from '../../deploy/deploy-stack';
import { MAX_INLINE_TEMPLATE_BYTES, readTemplate, type TemplateFile } from '../../deploy/template';
import {
  checkParameterNames,
  parseParameterValues,
  type ParameterValues,
} from '../../deploy/template-parameters';
import { checkFile, InputError, type Inputs } from '../inputs';
import { PATTERNS } from '../../aws/name-patterns';
import { readPrCommentInputs, type PrCommentSettings } from '../pr-comment';

/** What deployStack takes from the inputs, plus the action's own settings. */
export interface DeployInputs extends Pick<
  DeployOptions,
  | 'stackName'
  | 'template'
  | 'parameters'
  | 'capabilities'
  | 'tags'
  | 'roleArn'
  | 'failOnEmptyChangeSet'
  | 'templateBucket'
> {
  readonly timeoutMinutes: number;
  readonly waitForEndpoint: boolean;
  /** A local path or an s3:// URI. */
  readonly smokeTestFile?: string;
  readonly smokeTestHasLabels: boolean;
  readonly prComment?: PrCommentSettings;
}

export const CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];
export const DEFAULT_CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'];
export const DEFAULT_TIMEOUT_MINUTES = 60;

export function readDeployInputs(inputs: Inputs): DeployInputs {
  const stackName = inputs.matching('stack-name', PATTERNS.stackName.pattern, PATTERNS.stackName.expected, {
    required: true,
  });
  const template = loadTemplate(inputs.file('template-file', { required: true }));
  const parameters = readParameters(inputs, template);
  const capabilities = inputs.list('capabilities', DEFAULT_CAPABILITIES);
  const unknown = capabilities.filter((capability) => !CAPABILITIES.includes(capability));
  if (unknown.length > 0)
    throw new InputError(
      'capabilities',
      `expected some of ${CAPABILITIES.join(', ')}; got "${unknown.join(', ')}"`,
    );
  const roleArn = inputs.matching('cfn-role-arn', PATTERNS.roleArn.pattern, PATTERNS.roleArn.expected);
  const timeoutMinutes = inputs.number(
    'timeout-minutes',
    { above: 0, expected: 'a number of minutes greater than 0 (fractions allowed)' },
    DEFAULT_TIMEOUT_MINUTES,
  );
  const templateBucket = inputs.matching(
    'template-bucket',
    PATTERNS.bucketName.pattern,
    PATTERNS.bucketName.expected,
  );
  if (template.sizeBytes > MAX_INLINE_TEMPLATE_BYTES && templateBucket === undefined) {
    throw new InputError(
      'template-bucket',
      `is required for ${template.path}: it is ${template.sizeBytes} bytes and CloudFormation takes at most ${MAX_INLINE_TEMPLATE_BYTES} inline; expected an S3 bucket name to upload it to`,
    );
  }
  const smokeTestFile = readSmokeTestFile(inputs);
  const prComment = readPrCommentInputs(inputs);
  return {
    stackName,
    template,
    parameters,
    capabilities,
    tags: inputs.stringMap('tags'),
    ...(roleArn !== undefined ? { roleArn } : {}),
    timeoutMinutes,
    failOnEmptyChangeSet: inputs.boolean('fail-on-empty-changeset', false),
    ...(templateBucket !== undefined ? { templateBucket } : {}),
    waitForEndpoint: inputs.boolean('wait-for-endpoint', true),
    ...(smokeTestFile !== undefined ? { smokeTestFile } : {}),
    smokeTestHasLabels: inputs.boolean('smoke-test-has-labels', false),
    ...(prComment ? { prComment } : {}),
  };
}

function loadTemplate(file: string): TemplateFile {
  try {
    return readTemplate(file);
  } catch (error) {
    throw new InputError('template-file', (error as Error).message);
  }
}

/**
 * `parameters`: a YAML/JSON map or CloudFormation's [{ParameterKey, ParameterValue}] list, inline or in a
 * file (`file://path`, or the path of an existing .json/.yaml/.yml file).
 */
function readParameters(inputs: Inputs, template: TemplateFile): ParameterValues {
  const value = inputs.optional('parameters');
  if (value === undefined) return {};
  const file = parameterFile(value);
  if (file !== undefined) checkFile('parameters', file);
  try {
    const values = parseParameterValues(
      file !== undefined ? fs.readFileSync(file, 'utf8') : value,
      file ?? 'the map',
    );
    checkParameterNames(template, values);
    return values;
  } catch (error) {
    throw new InputError('parameters', (error as Error).message);
  }
}

function parameterFile(value: string): string | undefined {
  if (value.startsWith('file://')) return value.slice('file://'.length);
  const singleLine =
    !value.includes('\n') &&
    !value.includes(': ') &&
    !value.trimStart().startsWith('{') &&
    !value.trimStart().startsWith('[');
  return singleLine && /\.(json|ya?ml)$/i.test(value) ? value : undefined;
}

function readSmokeTestFile(inputs: Inputs): string | undefined {
  const value = inputs.optional('smoke-test-file');
  if (value === undefined) return undefined;
  if (value.startsWith('s3://')) {
    try {
      parseS3Uri(value);
    } catch (error) {
      throw new InputError('smoke-test-file', (error as Error).message);
    }
    return value;
  }
  checkFile('smoke-test-file', value);
  return value;
}
