import * as fs from 'node:fs';

import { readAssetsManifest, type AssetsManifest } from '../../../pipeline/assets';
import {
  checkExecutionParameters,
  type ExecutionParameterValues,
} from '../../../pipeline/execution-parameters';
import { validateDefinition } from '../../../pipeline/validate';
import { tagValue, type Tag } from '../../github/context';
import { checkFile, InputError, type Inputs } from '../inputs';
import { PATTERNS } from '../../aws/name-patterns';
import { readPrCommentInputs, type PrCommentSettings } from '../pr-comment';

export interface UpsertInputs {
  readonly pipelineName: string;
  readonly definition: unknown;
  readonly roleArn: string;
  readonly description?: string;
  readonly displayName?: string;
  readonly tags: readonly Tag[];
  readonly maxParallelSteps?: number;
  readonly startExecution: boolean;
  readonly executionParameters: ExecutionParameterValues;
  readonly executionDisplayName?: string;
  readonly clientRequestToken?: string;
  readonly assetsManifest?: AssetsManifest;
  /** A definition to compare with instead of the deployed one (e.g. the base branch's). */
  readonly baseDefinition?: { readonly file: string; readonly definition: unknown };
  readonly prComment?: PrCommentSettings;
}

const MAX_DESCRIPTION = 3072;
const MAX_PROBLEMS_SHOWN = 20;

/** Every input of upsert-sagemaker-pipeline, checked (definition validated, parameters checked against it). */
export function readUpsertInputs(inputs: Inputs): UpsertInputs {
  const pipelineName = inputs.matching(
    'pipeline-name',
    PATTERNS.pipelineName.pattern,
    PATTERNS.pipelineName.expected,
    { required: true },
  );
  const definition = readDefinition(inputs);
  const roleArn = inputs.matching('role-arn', PATTERNS.roleArn.pattern, PATTERNS.roleArn.expected, {
    required: true,
  });
  const description = inputs.optional('pipeline-description');
  if (description !== undefined && description.length > MAX_DESCRIPTION) {
    throw new InputError(
      'pipeline-description',
      `expected at most ${MAX_DESCRIPTION} characters; got ${description.length}`,
    );
  }
  const displayName = inputs.matching(
    'pipeline-display-name',
    /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/,
    'a display name: letters, digits and hyphens, at most 256 characters',
  );
  const maxParallelSteps = inputs.number('max-parallel-steps', {
    atLeast: 1,
    integer: true,
    expected: 'a whole number of steps, at least 1',
  });
  const executionParameters = readExecutionParameters(inputs, definition);
  const executionDisplayName = inputs.matching(
    'execution-display-name',
    PATTERNS.displayName.pattern,
    PATTERNS.displayName.expected,
  );
  const clientRequestToken = inputs.matching(
    'client-request-token',
    PATTERNS.clientRequestToken.pattern,
    PATTERNS.clientRequestToken.expected,
  );
  const manifestFile = inputs.file('assets-manifest');
  const baseDefinition = readBaseDefinition(inputs);
  const prComment = readPrCommentInputs(inputs);
  return {
    pipelineName,
    definition,
    roleArn,
    ...(description !== undefined ? { description } : {}),
    ...(displayName !== undefined ? { displayName } : {}),
    tags: readTags(inputs),
    ...(maxParallelSteps !== undefined ? { maxParallelSteps } : {}),
    startExecution: inputs.boolean('start-execution', true),
    executionParameters,
    ...(executionDisplayName !== undefined ? { executionDisplayName } : {}),
    ...(clientRequestToken !== undefined ? { clientRequestToken } : {}),
    ...(manifestFile !== undefined ? { assetsManifest: readManifest(manifestFile) } : {}),
    ...(baseDefinition ? { baseDefinition } : {}),
    ...(prComment ? { prComment } : {}),
  };
}

function readBaseDefinition(inputs: Inputs): UpsertInputs['baseDefinition'] {
  const file = inputs.file('base-definition-file');
  if (file === undefined) return undefined;
  try {
    return { file, definition: JSON.parse(fs.readFileSync(file, 'utf8')) };
  } catch (error) {
    throw new InputError(
      'base-definition-file',
      `expected pipeline definition JSON in ${file}; it does not parse: ${(error as Error).message}`,
    );
  }
}

function readDefinition(inputs: Inputs): unknown {
  const file = inputs.optional('definition-file');
  const inline = inputs.optional('definition');
  if (file !== undefined && inline !== undefined) {
    throw new InputError('definition', 'set either definition-file or definition, not both');
  }
  if (file === undefined && inline === undefined) {
    throw new InputError(
      'definition-file',
      'is required (or set definition); expected the path of a pipeline definition JSON file, e.g. build/pipeline.json from `mlops pipeline synth`',
    );
  }
  const input = file !== undefined ? 'definition-file' : 'definition';
  if (file !== undefined) checkFile(input, file);
  const text = file !== undefined ? fs.readFileSync(file, 'utf8') : (inline ?? '');
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      input,
      `expected pipeline definition JSON; it does not parse: ${(error as Error).message}`,
    );
  }
  const problems = validateDefinition(definition);
  if (problems.length > 0) {
    const shown = problems
      .slice(0, MAX_PROBLEMS_SHOWN)
      .map((problem) => `  ${problem.path}: ${problem.message}`);
    const more =
      problems.length > MAX_PROBLEMS_SHOWN ? [`  ... and ${problems.length - MAX_PROBLEMS_SHOWN} more`] : [];
    throw new InputError(
      input,
      `the pipeline definition has ${problems.length} problem(s):\n${[...shown, ...more].join('\n')}`,
    );
  }
  return definition;
}

function readExecutionParameters(inputs: Inputs, definition: unknown): ExecutionParameterValues {
  const map = inputs.map('execution-parameters') ?? {};
  const values: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(map)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new InputError(
        'execution-parameters',
        `the value of "${name}" must be a string, number or boolean; got ${JSON.stringify(value)}`,
      );
    }
    values[name] = value;
  }
  const problems = checkExecutionParameters(definition, values);
  if (problems.length > 0) {
    throw new InputError('execution-parameters', problems.map((problem) => problem.message).join('; '));
  }
  return values;
}

function readTags(inputs: Inputs): Tag[] {
  return Object.entries(inputs.stringMap('tags')).map(([Key, Value]) => {
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(Key) || Key.startsWith('aws:')) {
      throw new InputError(
        'tags',
        `tag key "${Key}" is not allowed; expected 1–128 letters, digits, spaces or _.:/=+-@, not starting with aws:`,
      );
    }
    if (tagValue(Value) !== Value) {
      throw new InputError(
        'tags',
        `the value of tag "${Key}" must be at most 256 letters, digits, spaces or _.:/=+-@; got "${Value}"`,
      );
    }
    return { Key, Value };
  });
}

function readManifest(file: string): AssetsManifest {
  try {
    return readAssetsManifest(file);
  } catch (error) {
    throw new InputError('assets-manifest', (error as Error).message);
  }
}
