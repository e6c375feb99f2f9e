import { isRecord } from './definition';
import { formatFloat, type ParameterValue } from './parameters';
import { formatPath, parsePath, parseStepReference, walkPath } from './property-path';

/** What an expression can see while one execution runs. */
export interface ExpressionScope {
  readonly parameters: ReadonlyMap<string, ParameterValue>;
  /** `Execution.PipelineExecutionId`, `Execution.StartDateTime`, ... keyed without the `Execution.` prefix. */
  executionVariable(name: string): string | undefined;
  /** The properties (Describe* shape) of a step that has finished, or undefined. */
  stepProperties(stepName: string): unknown;
  /** Reads an object's text from the local S3 (`s3://bucket/key`). */
  readObject(s3Uri: string): Promise<string>;
}

/** A bad or unresolvable expression; the message names the expression and what was expected. */
export class ExpressionError extends Error {}

/** Resolves every `Get`, `Std:Join` and `Std:JsonGet` inside a value, leaving the rest as it is. */
export async function resolveValue(value: unknown, scope: ExpressionScope): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveValue(item, scope)));
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    if (typeof value.Get === 'string') return resolveGet(value.Get, scope);
    if (value['Std:Join'] !== undefined) return resolveJoin(value['Std:Join'], scope);
    if (value['Std:JsonGet'] !== undefined) return resolveJsonGet(value['Std:JsonGet'], scope);
  }
  const entries = await Promise.all(
    keys.map(async (key) => [key, await resolveValue(value[key], scope)] as const),
  );
  return Object.fromEntries(entries);
}

function resolveGet(reference: string, scope: ExpressionScope): unknown {
  if (reference.startsWith('Parameters.')) {
    const parameter = scope.parameters.get(reference.slice('Parameters.'.length));
    if (!parameter)
      throw new ExpressionError(`{"Get": "${reference}"}: the pipeline declares no such parameter`);
    return parameter.value;
  }
  if (reference.startsWith('Execution.')) {
    const value = scope.executionVariable(reference.slice('Execution.'.length));
    if (value === undefined) {
      throw new ExpressionError(
        `{"Get": "${reference}"}: unknown execution variable; expected PipelineExecutionId, PipelineExecutionArn, PipelineName, PipelineArn, StartDateTime or CurrentDateTime`,
      );
    }
    return value;
  }
  const step = parseStepReference(reference);
  if (!step) {
    throw new ExpressionError(
      `{"Get": "${reference}"}: expected Parameters.<name>, Execution.<variable> or Steps.<step>.<property>`,
    );
  }
  const properties = scope.stepProperties(step.stepName);
  if (properties === undefined) {
    throw new ExpressionError(
      `{"Get": "${reference}"}: step ${step.stepName} has not produced properties in this execution`,
    );
  }
  const value = walkPath(properties, step.path);
  if (value === undefined) {
    throw new ExpressionError(
      `{"Get": "${reference}"}: step ${step.stepName} has no property ${formatPath(step.path).slice(1)}`,
    );
  }
  return value;
}

async function resolveJoin(spec: unknown, scope: ExpressionScope): Promise<string> {
  if (!isRecord(spec) || !Array.isArray(spec.Values)) {
    throw new ExpressionError(
      `Std:Join needs {"On": <separator>, "Values": [...]}; got ${JSON.stringify(spec)}`,
    );
  }
  const separator = spec.On === undefined ? '' : String(await resolveValue(spec.On, scope));
  const parts = await Promise.all(spec.Values.map((item) => joinPart(item, scope)));
  return parts.join(separator);
}

/** A Float parameter keeps its decimal point when joined into text, as the service prints it. */
async function joinPart(item: unknown, scope: ExpressionScope): Promise<string> {
  const value = await resolveValue(item, scope);
  if (isRecord(item) && typeof item.Get === 'string' && item.Get.startsWith('Parameters.')) {
    const parameter = scope.parameters.get(item.Get.slice('Parameters.'.length));
    if (parameter?.type === 'Float' && typeof value === 'number') return formatFloat(value);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

async function resolveJsonGet(spec: unknown, scope: ExpressionScope): Promise<unknown> {
  if (!isRecord(spec) || typeof spec.Path !== 'string') {
    throw new ExpressionError(
      `Std:JsonGet needs a Path and a PropertyFile or S3Uri; got ${JSON.stringify(spec)}`,
    );
  }
  const uri = await jsonGetUri(spec, scope);
  let document: unknown;
  try {
    document = JSON.parse(await scope.readObject(uri)) as unknown;
  } catch (error) {
    throw new ExpressionError(`Std:JsonGet could not read JSON from ${uri}: ${(error as Error).message}`);
  }
  const value = walkPath(document, parsePath(`.${spec.Path}`));
  if (value === undefined) throw new ExpressionError(`Std:JsonGet: ${uri} has no value at path ${spec.Path}`);
  return value;
}

async function jsonGetUri(spec: Record<string, unknown>, scope: ExpressionScope): Promise<string> {
  if (spec.PropertyFile !== undefined) {
    const file = await resolveValue(spec.PropertyFile, scope);
    if (isRecord(file) && typeof file.S3Uri === 'string') return file.S3Uri;
    throw new ExpressionError(
      `Std:JsonGet PropertyFile must be {"Get": "Steps.<step>.PropertyFiles.<name>"}; got ${JSON.stringify(spec.PropertyFile)}`,
    );
  }
  const uri = await resolveValue(spec.S3Uri, scope);
  if (typeof uri !== 'string') {
    throw new ExpressionError(
      `Std:JsonGet S3Uri must resolve to a string; got ${JSON.stringify(spec.S3Uri)}`,
    );
  }
  return uri;
}
