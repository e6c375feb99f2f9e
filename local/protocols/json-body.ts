import { AwsError } from '../core/errors';
import { type JsonShapeOptions, readJsonShape, writeJsonShape } from './model/json-shape';
import { modelledError } from './model/errors';
import type { WireResponse } from './wire';

/** A JSON request body as an object; empty means `{}`. Broken JSON is the client's SerializationException. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new AwsError(
      'SerializationException',
      `request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** The body members of `shape` read from a JSON body (an empty body is an empty structure). */
export function readJsonBody(
  options: JsonShapeOptions,
  shapeName: string | undefined,
  body: Buffer,
): Record<string, unknown> {
  const parsed = parseJsonObject(body);
  return shapeName ? (readJsonShape(options, shapeName, parsed) as Record<string, unknown>) : {};
}

/** The body members of `shape` as JSON text. */
export function writeJsonBody(
  options: JsonShapeOptions,
  shapeName: string | undefined,
  output: unknown,
): string {
  return JSON.stringify(shapeName ? writeJsonShape(options, shapeName, output ?? {}) : {});
}

/**
 * An AwsError as a JSON protocol answer: status and fault side from the model when it defines the code,
 * the error shape's members beside the message, and the code both as `__type` and in `x-amzn-ErrorType`
 * (awsJson clients read the first, restJson clients the header).
 */
export function jsonErrorResponse(
  options: JsonShapeOptions & { readonly contentType: string; readonly requestId: string },
  error: AwsError,
): WireResponse {
  const modelled = modelledError(options.model, error);
  const fields = modelled.shapeName
    ? (writeJsonShape(options, modelled.shapeName, error.fields) as Record<string, unknown>)
    : error.fields;
  return {
    status: modelled.status,
    headers: {
      'content-type': options.contentType,
      'x-amzn-requestid': options.requestId,
      'x-amzn-errortype': error.code,
    },
    body: JSON.stringify({ ...fields, __type: error.code, message: error.message }),
  };
}
