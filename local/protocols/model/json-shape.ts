import { AwsError } from '../../core/errors';
import { formatTimestamp, parseTimestamp } from './timestamps';
import {
  type ServiceModel,
  type Shape,
  type ShapeRef,
  type TimestampFormat,
  shapeOf,
  wireName,
} from './shapes';

/**
 * JSON ↔ typed values by shape, for awsJson and restJson bodies: member names by `locationName`, timestamps
 * as Dates, blobs as Buffers. Members the shape does not model are dropped both ways (a handler cannot leak
 * internal fields; a client's unknown member is ignored as AWS ignores it). Members bound to HTTP parts
 * (`location`) are not body members and are skipped.
 */
export interface JsonShapeOptions {
  readonly model: ServiceModel;
  /** The protocol's timestamp format where the model names none (awsJson/restJson: `unixTimestamp`). */
  readonly timestampFormat: TimestampFormat;
  /** The code of a request body of the wrong type (awsJson/restJson: `SerializationException`). */
  readonly serializationError: string;
}

/** A parsed JSON request value as the typed input of `ref`. */
export function readJsonShape(options: JsonShapeOptions, ref: ShapeRef | string, value: unknown): unknown {
  return read(options, shapeOf(options.model, ref), value, memberPath(ref));
}

function memberPath(ref: ShapeRef | string): string {
  return typeof ref === 'string' ? ref : ref.shape;
}

function read(options: JsonShapeOptions, shape: Shape, value: unknown, path: string): unknown {
  const fail = (expected: string) =>
    new AwsError(
      options.serializationError,
      `${path}: expected ${expected}, got ${value === null ? 'null' : typeof value} ${JSON.stringify(value)?.slice(0, 80)}`,
    );
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) throw fail('a JSON object');
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location) continue;
        const member = value[wireName(name, ref)];
        if (member !== undefined && member !== null)
          out[name] = read(options, shapeOf(options.model, ref), member, `${path}.${name}`);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw fail('a JSON array');
      const member = shapeOf(options.model, shape.member!);
      return value.map((item, index) => read(options, member, item, `${path}[${index}]`));
    }
    case 'map': {
      if (!isObject(value)) throw fail('a JSON object');
      const member = shapeOf(options.model, shape.value!);
      const entries = Object.entries(value).filter(([, item]) => item !== null);
      return Object.fromEntries(
        entries.map(([key, item]) => [key, read(options, member, item, `${path}.${key}`)]),
      );
    }
    case 'string':
      if (typeof value !== 'string') throw fail('a string');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw fail('true or false');
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw fail('an integer');
      return value;
    case 'float':
    case 'double':
      return readFloat(value, fail);
    case 'timestamp': {
      const date = parseTimestamp(value);
      if (!date) throw fail('a timestamp (epoch seconds or ISO 8601)');
      return date;
    }
    case 'blob':
      if (typeof value !== 'string') throw fail('base64 text');
      return Buffer.from(value, 'base64');
  }
}

function readFloat(value: unknown, fail: (expected: string) => AwsError): number {
  if (typeof value === 'number') return value;
  const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
  if (typeof value === 'string' && value in special) return special[value]!;
  throw fail('a number');
}

/** A typed output value as JSON-ready data by `ref` (Dates formatted, Buffers base64, unmodelled dropped). */
export function writeJsonShape(options: JsonShapeOptions, ref: ShapeRef | string, value: unknown): unknown {
  const format = typeof ref === 'string' ? undefined : ref.timestampFormat;
  return write(options, shapeOf(options.model, ref), value, format);
}

function write(
  options: JsonShapeOptions,
  shape: Shape,
  value: unknown,
  refFormat: TimestampFormat | undefined,
): unknown {
  switch (shape.type) {
    case 'structure': {
      const source = (value ?? {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const member = source[name];
        if (ref.location || member === undefined || member === null) continue;
        out[wireName(name, ref)] = write(options, shapeOf(options.model, ref), member, ref.timestampFormat);
      }
      return out;
    }
    case 'list': {
      const member = shapeOf(options.model, shape.member!);
      return (value as unknown[]).map((item) => write(options, member, item, shape.member!.timestampFormat));
    }
    case 'map': {
      const member = shapeOf(options.model, shape.value!);
      const entries = Object.entries(value as Record<string, unknown>);
      return Object.fromEntries(entries.map(([key, item]) => [key, write(options, member, item, undefined)]));
    }
    case 'timestamp':
      return formatTimestamp(asDate(value), refFormat ?? shape.timestampFormat ?? options.timestampFormat);
    case 'blob':
      return asBuffer(value).toString('base64');
    case 'float':
    case 'double':
      return Number.isFinite(value) ? value : String(value);
    default:
      return value;
  }
}

/** Handlers return Dates; a stored ISO string or epoch number is accepted so old records still serve. */
function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const date = parseTimestamp(value);
  if (!date) throw new Error(`timestamp member holds ${JSON.stringify(value)}, not a Date`);
  return date;
}

export function asBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(String(value), 'utf8');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
