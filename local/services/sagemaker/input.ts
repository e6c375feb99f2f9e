import { validationError } from '../../core/errors';

/**
 * The local SageMaker's checks of what a request carries beyond the model's constraints. The services run
 * them on every call: in-process callers (pipeline steps, CloudFormation resources) do not pass the codec.
 */

/** SageMaker's pattern for endpoint, endpoint config, variant, job, package group and schedule names. */
export const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const PIPELINE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;
const MODEL_NAME = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** A name member, in AWS's validation wording. */
export function checkName(member: string, value: unknown): string {
  if (typeof value !== 'string' || !SAGEMAKER_NAME.test(value)) {
    throw validationError(
      `1 validation error detected: Value ${JSON.stringify(value)} at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`,
    );
  }
  return value;
}

export function checkPipelineName(name: string): string {
  if (!PIPELINE_NAME.test(name)) {
    throw validationError(
      `PipelineName ${JSON.stringify(name)} is not valid; expected 1-256 letters, digits and hyphens matching ${PIPELINE_NAME.source}`,
    );
  }
  return name;
}

export function checkModelName(name: string): string {
  if (name.length > 63 || !MODEL_NAME.test(name)) {
    throw validationError(
      `ModelName ${JSON.stringify(name)} is not valid; expected 1-63 letters, digits and hyphens, starting and ending alphanumeric`,
    );
  }
  return name;
}

export function checkGroupName(name: string): string {
  if (!SAGEMAKER_NAME.test(name)) {
    throw validationError(
      `ModelPackageGroupName ${JSON.stringify(name)} is not valid; expected 1-63 letters, digits and hyphens matching ${SAGEMAKER_NAME.source}`,
    );
  }
  return name;
}

/**
 * Tags as the API takes them: a list of {Key, Value} (max 50, keys 1-128 characters). Checked here too:
 * in-process callers (pipeline steps, CloudFormation) do not pass the codec.
 */
export function checkTags(tags: unknown): Tag[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags) || tags.length > 50)
    throw validationError('Tags must be a list of at most 50 {Key, Value} objects');
  return tags.map((tag: unknown, index) => {
    const { Key, Value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof Key !== 'string' || Key.length < 1 || Key.length > 128) {
      throw validationError(
        `Tags[${index}].Key must be a string of 1-128 characters; got ${JSON.stringify(Key)}`,
      );
    }
    return { Key, Value: typeof Value === 'string' ? Value : '' };
  });
}
