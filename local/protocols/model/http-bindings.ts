import { AwsError } from '../../core/errors';
import type { WireRequest } from '../wire';
import { asBuffer } from './json-shape';
import { formatTimestamp, parseTimestamp } from './timestamps';
import { type OperationModel, type ServiceModel, type Shape, type ShapeRef, shapeOf } from './shapes';

/**
 * The HTTP bindings of rest protocols (restJson, restXml): which operation a method + path + query
 * addresses (the model's `requestUri` templates, greedy `{Key+}` labels and literal query flags such as
 * `?uploads`), and the input members bound to URI labels, query strings, headers and the payload.
 */
export interface RestRoute {
  readonly operation: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly labels: readonly string[];
  /** Query parameters the requestUri requires (`?uploads`, `?x-id=GetObject`); `''` = any value. */
  readonly query: ReadonlyMap<string, string>;
  /** Literal characters of the template: more means more specific, tried first. */
  readonly specificity: number;
}

export interface RouteMatch {
  readonly operation: string;
  /** Label values, percent-decoded. */
  readonly labels: Readonly<Record<string, string>>;
}

/** The routes of a model's operations, most specific first. */
export function restRoutes(model: ServiceModel): RestRoute[] {
  return Object.entries(model.operations)
    .map(([name, operation]) => compileRoute(name, operation))
    .sort((a, b) => b.query.size - a.query.size || b.specificity - a.specificity);
}

function compileRoute(operation: string, model: OperationModel): RestRoute {
  const [template, queryText = ''] = model.http.requestUri.split('?');
  const labels: string[] = [];
  const escaped = template!.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const source = escaped.replace(/\{(\w+)(\\\+)?\}/g, (_match, name: string, greedy?: string) => {
    labels.push(name);
    return greedy ? '(.+)' : '([^/]+)';
  });
  const query = new Map(
    [...new URLSearchParams(queryText)].map(([name, value]) => [name, value] as [string, string]),
  );
  const literal = template!.replace(/\{[^}]*\}/g, '').length;
  return {
    operation,
    method: model.http.method,
    pattern: new RegExp(`^${source.replace(/\/$/, '')}/?$`),
    labels,
    query,
    specificity: literal,
  };
}

/** The operation a request addresses, or undefined. `path` is the raw (percent-encoded) path. */
export function matchRoute(
  routes: readonly RestRoute[],
  request: Pick<WireRequest, 'method' | 'path' | 'query'>,
): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== request.method) continue;
    const match = route.pattern.exec(request.path);
    if (!match) continue;
    const queryOk = [...route.query].every(([name, value]) =>
      value === '' ? request.query.has(name) : request.query.get(name) === value,
    );
    if (!queryOk) continue;
    const labels = Object.fromEntries(route.labels.map((name, i) => [name, safeDecode(match[i + 1]!)]));
    return { operation: route.operation, labels };
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AwsError('InvalidURI', `the request path segment "${text}" is not valid percent-encoding`);
  }
}

/** Members of the input bound to labels, query strings and headers, typed by their shapes. */
export function readBoundMembers(
  model: ServiceModel,
  inputShape: Shape,
  request: WireRequest,
  labels: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const members = Object.entries(inputShape.members ?? {});
  const boundQuery = new Set(
    members
      .filter(([, ref]) => ref.location === 'querystring' && ref.locationName)
      .map(([, r]) => r.locationName),
  );
  for (const [name, ref] of members) {
    const value = readBound(model, ref, request, labels, boundQuery);
    if (value !== undefined) input[name] = value;
  }
  return input;
}

function readBound(
  model: ServiceModel,
  ref: ShapeRef,
  request: WireRequest,
  labels: Readonly<Record<string, string>>,
  boundQuery: ReadonlySet<string | undefined>,
): unknown {
  const shape = shapeOf(model, ref);
  const where = ref.locationName ?? ref.shape;
  switch (ref.location) {
    case 'uri': {
      const text = labels[where];
      return text === undefined ? undefined : fromText(model, shape, text, `URI label ${where}`);
    }
    case 'querystring': {
      if (!ref.locationName) return queryMap(request.query, boundQuery);
      const values = request.query.getAll(where);
      if (values.length === 0) return undefined;
      if (shape.type === 'list') {
        const member = shapeOf(model, shape.member!);
        return values.map((value) => fromText(model, member, value, `query parameter ${where}`));
      }
      return fromText(model, shape, values[0]!, `query parameter ${where}`);
    }
    case 'header':
      return headerValue(model, ref, shape, request.headers[where.toLowerCase()]);
    case 'headers':
      return prefixedHeaders(request, where.toLowerCase());
    default:
      return undefined;
  }
}

function queryMap(query: URLSearchParams, bound: ReadonlySet<string | undefined>): Record<string, string> {
  return Object.fromEntries([...query].filter(([name]) => !bound.has(name)));
}

function prefixedHeaders(request: WireRequest, prefix: string): Record<string, string> | undefined {
  const entries = Object.entries(request.headers)
    .filter(([name]) => name.startsWith(prefix))
    .map(([name, value]) => [name.slice(prefix.length), String(value)]);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function headerValue(
  model: ServiceModel,
  ref: ShapeRef,
  shape: Shape,
  raw: string | string[] | undefined,
): unknown {
  if (raw === undefined) return undefined;
  const text = Array.isArray(raw) ? raw.join(',') : raw;
  const where = `header ${ref.locationName}`;
  if (ref.jsonvalue) return parseJsonHeader(text, where);
  if (shape.type === 'list') {
    const member = shapeOf(model, shape.member!);
    return text.split(',').map((item) => fromText(model, member, item.trim(), where));
  }
  return fromText(model, shape, text, where);
}

function parseJsonHeader(text: string, where: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    throw new AwsError(
      'SerializationException',
      `${where} is not base64-encoded JSON: "${text.slice(0, 80)}"`,
    );
  }
}

/** A label, query or header text as the member's type; a wrong type names the member and the value. */
export function fromText(_model: ServiceModel, shape: Shape, text: string, where: string): unknown {
  const fail = (expected: string) =>
    new AwsError('SerializationException', `${where}: "${text.slice(0, 80)}" is not ${expected}`);
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(text)) throw fail('an integer');
      return Number(text);
    }
    case 'float':
    case 'double': {
      const number = Number(text);
      if (text.trim() === '' || Number.isNaN(number)) throw fail('a number');
      return number;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw fail('true or false');
      return text === 'true';
    case 'timestamp': {
      const date = parseTimestamp(text);
      if (!date) throw fail('a timestamp');
      return date;
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    default:
      return text;
  }
}

/** Output members bound to headers and the status code: what a rest protocol puts outside the body. */
export interface BoundOutput {
  readonly headers: Record<string, string>;
  readonly status?: number;
}

export function writeBoundMembers(
  model: ServiceModel,
  outputShape: Shape,
  output: Record<string, unknown>,
): BoundOutput {
  const headers: Record<string, string> = {};
  let status: number | undefined;
  for (const [name, ref] of Object.entries(outputShape.members ?? {})) {
    const value = output[name];
    if (value === undefined || value === null) continue;
    if (ref.location === 'statusCode') status = Number(value);
    if (ref.location === 'header') headers[ref.locationName!.toLowerCase()] = toText(model, ref, value);
    if (ref.location === 'headers') {
      for (const [key, item] of Object.entries(value as Record<string, unknown>))
        headers[`${ref.locationName!.toLowerCase()}${key}`] = String(item);
    }
  }
  return status === undefined ? { headers } : { headers, status };
}

/** A header value by the member's type: timestamps RFC 822 unless the model says otherwise. */
function toText(model: ServiceModel, ref: ShapeRef, value: unknown): string {
  const shape = shapeOf(model, ref);
  if (ref.jsonvalue) return Buffer.from(JSON.stringify(value)).toString('base64');
  if (shape.type === 'timestamp') {
    const date = value instanceof Date ? value : (parseTimestamp(value) ?? new Date(NaN));
    return String(formatTimestamp(date, ref.timestampFormat ?? shape.timestampFormat ?? 'rfc822'));
  }
  if (shape.type === 'blob') return asBuffer(value).toString('base64');
  if (shape.type === 'list') return (value as unknown[]).map(String).join(',');
  return String(value);
}
