import { isObject, type JsonObject } from './json';
import { item, member } from './json-path';

export type ReferenceTarget =
  | { readonly namespace: 'Parameters'; readonly name: string }
  | { readonly namespace: 'Execution'; readonly name: string }
  | { readonly namespace: 'Steps'; readonly step: string; readonly property: string }
  | { readonly namespace: 'unknown' };

/** A `{"Get": ...}` found in a definition. */
export interface Reference {
  /** JSON path of the object holding `Get`. */
  readonly path: string;
  /** The Get string, e.g. `Steps.Train.ModelArtifacts.S3ModelArtifacts`. */
  readonly expression: string;
  readonly target: ReferenceTarget;
  /** True for the `PropertyFile` member of a Std:JsonGet. */
  readonly propertyFile: boolean;
}

export interface ExpressionProblem {
  readonly path: string;
  readonly message: string;
}

export interface ExpressionScan {
  readonly references: Reference[];
  readonly problems: ExpressionProblem[];
}

/** Finds every reference in a JSON value and notes malformed Get / Std:Join / Std:JsonGet expressions. */
export function scanExpressions(value: unknown, path: string): ExpressionScan {
  const scan: ExpressionScan = { references: [], problems: [] };
  visit(value, path, scan);
  return scan;
}

function visit(value: unknown, path: string, scan: ExpressionScan): void {
  if (Array.isArray(value)) {
    value.forEach((entry, index) => visit(entry, item(path, index), scan));
  } else if (isObject(value)) {
    if ('Get' in value) visitGet(value, path, scan, false);
    else if ('Std:Join' in value) visitJoin(value, path, scan);
    else if ('Std:JsonGet' in value) visitJsonGet(value, path, scan);
    else Object.entries(value).forEach(([key, entry]) => visit(entry, member(path, key), scan));
  }
}

function visitGet(value: JsonObject, path: string, scan: ExpressionScan, propertyFile: boolean): void {
  const expression = value.Get;
  if (Object.keys(value).length > 1) {
    scan.problems.push({
      path,
      message: `a Get expression has no other members, found ${Object.keys(value).join(', ')}`,
    });
  }
  if (typeof expression !== 'string') {
    scan.problems.push({
      path: member(path, 'Get'),
      message:
        'Get must be a string such as "Parameters.Name", "Execution.PipelineExecutionId" or "Steps.Step.Property"',
    });
    return;
  }
  scan.references.push({ path, expression, target: parseTarget(expression), propertyFile });
}

function visitJoin(value: JsonObject, path: string, scan: ExpressionScan): void {
  const joinPath = member(path, 'Std:Join');
  const join = value['Std:Join'];
  if (!isObject(join)) {
    scan.problems.push({
      path: joinPath,
      message: 'Std:Join must be an object {"On": "<separator>", "Values": [...]}',
    });
    return;
  }
  if ('On' in join && typeof join.On !== 'string') {
    scan.problems.push({
      path: member(joinPath, 'On'),
      message: 'Std:Join On (the separator) must be a string',
    });
  }
  if (!Array.isArray(join.Values)) {
    scan.problems.push({
      path: member(joinPath, 'Values'),
      message: 'Std:Join needs Values, an array of values',
    });
    return;
  }
  visit(join.Values, member(joinPath, 'Values'), scan);
}

function visitJsonGet(value: JsonObject, path: string, scan: ExpressionScan): void {
  const getPath = member(path, 'Std:JsonGet');
  const jsonGet = value['Std:JsonGet'];
  if (!isObject(jsonGet)) {
    scan.problems.push({
      path: getPath,
      message: 'Std:JsonGet must be an object with PropertyFile or S3Uri, and Path',
    });
    return;
  }
  if (typeof jsonGet.Path !== 'string' || jsonGet.Path === '') {
    scan.problems.push({
      path: member(getPath, 'Path'),
      message: 'Std:JsonGet needs Path, a JSON path string such as "metrics.rmse.value"',
    });
  }
  const hasFile = 'PropertyFile' in jsonGet;
  if (hasFile === 'S3Uri' in jsonGet) {
    scan.problems.push({ path: getPath, message: 'Std:JsonGet needs exactly one of PropertyFile and S3Uri' });
  }
  if (hasFile) visitPropertyFile(jsonGet.PropertyFile, member(getPath, 'PropertyFile'), scan);
  if ('S3Uri' in jsonGet) visit(jsonGet.S3Uri, member(getPath, 'S3Uri'), scan);
}

function visitPropertyFile(value: unknown, path: string, scan: ExpressionScan): void {
  if (isObject(value) && 'Get' in value) {
    visitGet(value, path, scan, true);
    return;
  }
  scan.problems.push({
    path,
    message: 'Std:JsonGet PropertyFile must be {"Get": "Steps.<step>.PropertyFiles.<property file name>"}',
  });
}

export function parseTarget(expression: string): ReferenceTarget {
  const dot = expression.indexOf('.');
  const namespace = expression.slice(0, dot);
  const rest = dot < 0 ? '' : expression.slice(dot + 1);
  if (namespace === 'Parameters') return { namespace, name: rest };
  if (namespace === 'Execution') return { namespace, name: rest };
  if (namespace === 'Steps') {
    const end = rest.indexOf('.');
    return end < 0
      ? { namespace, step: rest, property: '' }
      : { namespace, step: rest.slice(0, end), property: rest.slice(end + 1) };
  }
  return { namespace: 'unknown' };
}
