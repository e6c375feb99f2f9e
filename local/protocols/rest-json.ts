import { Readable } from 'node:stream';

import { AwsError } from '../core/errors';
import { bodyLimit } from './body-limits';
import { jsonErrorResponse, readJsonBody, writeJsonBody } from './json-body';
import { matchRoute, readBoundMembers, restRoutes, writeBoundMembers } from './model/http-bindings';
import { asBuffer, type JsonShapeOptions } from './model/json-shape';
import { checkInput, inputShape, operationModel, outputShape } from './model/operation-input';
import { type ServiceModel, shapeOf } from './model/shapes';
import type { WireProtocol, WireResponse } from './wire';

/**
 * restJson1 (Lambda, SageMaker Runtime), driven by the service model: the operation is found from method +
 * path (+ query flags) by the model's requestUri templates; input members come from URI labels, query
 * strings, headers and the payload/JSON body by their bindings, checked against the constraints; answers put
 * header/status-bound members outside the body and the rest (or the payload member) in it. Errors are JSON
 * with the code in `x-amzn-ErrorType`.
 */
export function restJsonProtocol(model: ServiceModel): WireProtocol {
  const json: JsonShapeOptions = {
    model,
    timestampFormat: model.metadata.timestampFormat ?? 'unixTimestamp',
    serializationError: 'SerializationException',
  };
  const routes = restRoutes(model);
  const unknown = (operation: string) =>
    new AwsError('UnknownOperationException', `${model.metadata.serviceId} has no operation ${operation}`, {
      status: 404,
    });
  return {
    throttling: { code: 'ThrottlingException', status: 429, message: 'Rate exceeded' },

    async decode(request) {
      const match = matchRoute(routes, request);
      if (!match) {
        throw new AwsError(
          'UnknownOperationException',
          `${model.metadata.serviceId} has no operation at ${request.method} ${request.path}`,
          { status: 404 },
        );
      }
      const operation = operationModel(model, match.operation, unknown);
      const shape = inputShape(model, operation);
      const body = await request.body(bodyLimit(model.metadata.serviceId, match.operation));
      const input = {
        ...readBoundMembers(model, shape, request, match.labels),
        ...readPayload(json, operation.input?.shape, body),
      };
      checkInput(model, operation, input, 'ValidationException');
      return { operation: match.operation, input };
    },

    encode(call, output, ctx) {
      const operation = operationModel(model, call.operation, unknown);
      const shape = outputShape(model, operation);
      const result = (output ?? {}) as Record<string, unknown>;
      const bound = writeBoundMembers(model, shape, result);
      const headers = { 'x-amzn-requestid': ctx.requestId, ...bound.headers };
      const status = bound.status ?? operation.http.responseCode ?? 200;
      if (shape.payload)
        return payloadResponse(json, shape.members![shape.payload]!.shape, result[shape.payload], {
          status,
          headers,
        });
      return {
        status,
        headers: { 'content-type': 'application/json', ...headers },
        body: writeJsonBody(json, operation.output?.shape, result),
      };
    },

    encodeError(error, ctx) {
      return jsonErrorResponse({ ...json, contentType: 'application/json', requestId: ctx.requestId }, error);
    },

    unknownOperation(operation, service) {
      return new AwsError(
        'UnknownOperationException',
        `the local AWS does not implement ${service} operation ${operation}`,
        { status: 404 },
      );
    },
  };
}

/** Body members: the payload member (raw blob/string, or a JSON structure) or the JSON body's members. */
function readPayload(
  json: JsonShapeOptions,
  shapeName: string | undefined,
  body: Buffer,
): Record<string, unknown> {
  if (!shapeName) return {};
  const shape = shapeOf(json.model, shapeName);
  if (!shape.payload) return readJsonBody(json, shapeName, body);
  const member = shape.members![shape.payload]!;
  const memberShape = shapeOf(json.model, member);
  if (memberShape.type === 'structure') {
    return body.length === 0 ? {} : { [shape.payload]: readJsonBody(json, member.shape, body) };
  }
  // An empty raw payload is an empty value, not a missing one (AWS reads the body as it is).
  return { [shape.payload]: memberShape.type === 'string' ? body.toString('utf8') : body };
}

function payloadResponse(
  json: JsonShapeOptions,
  shapeName: string,
  value: unknown,
  base: { readonly status: number; readonly headers: Record<string, string> },
): WireResponse {
  const shape = shapeOf(json.model, shapeName);
  const headers = { ...base.headers };
  if (shape.type === 'structure') {
    headers['content-type'] ??= 'application/json';
    return { ...base, headers, body: value === undefined ? '' : writeJsonBody(json, shapeName, value) };
  }
  headers['content-type'] ??= 'application/octet-stream';
  if (value === undefined) return { ...base, headers };
  return { ...base, headers, body: value instanceof Readable ? value : asBuffer(value) };
}
