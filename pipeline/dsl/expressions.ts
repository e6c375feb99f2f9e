import { PropertyFile } from './property-file';
import type { Step } from './step';
import type {
  JoinExpression,
  JsonGetExpression,
  GetExpression,
  Primitive,
  WireExpression,
  WireValue,
} from './wire';

/** Anything the builder turns into wire JSON and that may read other steps' results. */
export interface DslNode {
  toWire(): unknown;
  referencedSteps(): readonly Step[];
}

/**
 * A value known only when the pipeline runs. `T` is the type of the value it evaluates to, so the
 * compiler rejects, say, an Integer parameter where the service wants a string (use `.asString()`).
 */
export abstract class Expression<T extends Primitive = Primitive> implements DslNode {
  /** Phantom member that carries `T`; never set at run time. */
  declare readonly valueType: T;

  abstract toWire(): WireExpression;

  referencedSteps(): readonly Step[] {
    return [];
  }

  /** The value as a string, the way the Python SDK's `to_string()` does it: `Std:Join` on "". */
  asString(): Expression<string> {
    return new Join('', [this]);
  }
}

/** A literal or an expression: what definitions accept wherever a value goes. */
export type Value<T extends Primitive = Primitive> = T | Expression<T>;

export class ExecutionVariable extends Expression<string> {
  constructor(readonly name: ExecutionVariableName) {
    super();
  }

  toWire(): GetExpression {
    return { Get: `Execution.${this.name}` };
  }
}

export const EXECUTION_VARIABLE_NAMES = [
  'PipelineExecutionId',
  'PipelineExecutionArn',
  'PipelineName',
  'PipelineArn',
  'StartDateTime',
  'CurrentDateTime',
  'TrainingJobName',
  'ProcessingJobName',
] as const;

export type ExecutionVariableName = (typeof EXECUTION_VARIABLE_NAMES)[number];

/** `Execution.PipelineExecutionId` and friends, e.g. `Execution.PipelineExecutionId` in an S3 prefix. */
export const Execution: { readonly [N in ExecutionVariableName]: ExecutionVariable } = Object.freeze(
  Object.fromEntries(EXECUTION_VARIABLE_NAMES.map((name) => [name, new ExecutionVariable(name)])) as {
    [N in ExecutionVariableName]: ExecutionVariable;
  },
);

export class Join extends Expression<string> {
  constructor(
    readonly on: string,
    readonly values: readonly Value[],
  ) {
    super();
  }

  toWire(): JoinExpression {
    return { 'Std:Join': { On: this.on, Values: this.values.map(toWireValue) } };
  }

  override referencedSteps(): readonly Step[] {
    return this.values.flatMap(stepsOf);
  }
}

/** `Std:Join`: the values as strings, separated by `on` (e.g. `join('/', ['s3:/', bucket, key])`). */
export function join(on: string, values: readonly Value[]): Join {
  return new Join(on, values);
}

export class JsonGet<T extends Primitive = Primitive> extends Expression<T> {
  constructor(
    readonly source: PropertyFile | Value<string>,
    readonly path: string,
  ) {
    super();
  }

  toWire(): JsonGetExpression {
    const { source, path } = this;
    if (isPropertyFile(source)) return { 'Std:JsonGet': { PropertyFile: source.toWire(), Path: path } };
    return { 'Std:JsonGet': { S3Uri: toWireValue(source), Path: path } };
  }

  override referencedSteps(): readonly Step[] {
    return isPropertyFile(this.source) ? [this.source.step] : stepsOf(this.source);
  }
}

/**
 * `Std:JsonGet`: a value read from a JSON file at run time, either a processing step's declared
 * property file or any S3 URI. `path` is a dotted JSON path such as `regression_metrics.rmse.value`.
 */
export function jsonGet<T extends Primitive = Primitive>(
  source: PropertyFile | Value<string>,
  path: string,
): JsonGet<T> {
  return new JsonGet<T>(source, path);
}

function isPropertyFile(value: unknown): value is PropertyFile {
  return value instanceof PropertyFile;
}

export function toWireValue(value: Value): WireValue {
  return value instanceof Expression ? value.toWire() : value;
}

function isDslNode(value: unknown): value is DslNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<DslNode>).toWire === 'function' &&
    typeof (value as Partial<DslNode>).referencedSteps === 'function'
  );
}

/** Turns builder values (expressions, conditions, nested objects) into wire JSON; drops undefined members. */
export function serialize(value: unknown): unknown {
  if (isDslNode(value)) return value.toWire();
  if (Array.isArray(value)) return value.map(serialize);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, member]) => member !== undefined);
    return Object.fromEntries(entries.map(([key, member]) => [key, serialize(member)]));
  }
  return value;
}

/** Every step whose results a builder value reads, in the order they appear. */
export function stepsOf(value: unknown): readonly Step[] {
  if (isDslNode(value)) return value.referencedSteps();
  if (Array.isArray(value)) return value.flatMap(stepsOf);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stepsOf);
  return [];
}
