import { AwsError } from '../core/errors';
import { jsonErrorResponse, readJsonBody, writeJsonBody } from './json-body';
import type { JsonShapeOptions } from './model/json-shape';
import { checkInput, operationModel } from './model/operation-input';
import type { ServiceModel } from './model/shapes';
import { bodyLimit } from './body-limits';
import { header, type WireProtocol } from './wire';

/**
 * awsJson1_1 (SageMaker, SSM, EventBridge), driven by the service model: `POST /` with
 * `X-Amz-Target: <targetPrefix>.<Operation>` and a JSON body read into the operation's input shape and
 * checked against its constraints; answers are the output shape as JSON (timestamps epoch seconds); errors
 * `{"__type": code, "message"}` plus `x-amzn-ErrorType`, with the model's status for modelled codes.
 */
export function awsJsonProtocol(model: ServiceModel): WireProtocol {
  const json: JsonShapeOptions = {
    model,
    timestampFormat: model.metadata.timestampFormat ?? 'unixTimestamp',
    serializationError: 'SerializationException',
  };
  const contentType = `application/x-amz-json-${model.metadata.jsonVersion ?? '1.1'}`;
  const unknown = (operation: string) =>
    new AwsError(
      'UnknownOperationException',
      `${model.metadata.serviceId} has no operation "${operation}" (X-Amz-Target ${model.metadata.targetPrefix}.${operation})`,
    );
  return {
    throttling: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },

    async decode(request) {
      const target = header(request, 'x-amz-target') ?? '';
      const operation = target.slice(target.indexOf('.') + 1);
      if (!target.includes('.') || !operation) {
        throw new AwsError(
          'UnknownOperationException',
          `X-Amz-Target header is "${target}"; expected "${model.metadata.targetPrefix}.<Operation>"`,
        );
      }
      const operationShape = operationModel(model, operation, unknown);
      const body = await request.body(bodyLimit(model.metadata.serviceId, operation));
      const input = readJsonBody(json, operationShape.input?.shape, body);
      checkInput(model, operationShape, input, 'ValidationException');
      return { operation, input };
    },

    encode(call, output, ctx) {
      const operation = operationModel(model, call.operation, unknown);
      return {
        status: 200,
        headers: { 'content-type': contentType, 'x-amzn-requestid': ctx.requestId },
        body: writeJsonBody(json, operation.output?.shape, output),
      };
    },

    encodeError(error, ctx) {
      return jsonErrorResponse({ ...json, contentType, requestId: ctx.requestId }, error);
    },

    unknownOperation(operation, service) {
      return new AwsError(
        'UnknownOperationException',
        `the local AWS does not implement ${service} operation ${operation}`,
      );
    },
  };
}
