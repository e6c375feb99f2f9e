import { AwsError } from '../core/errors';
import { header, toJson, type WireProtocol, type WireRequest } from './wire';

/**
 * awsJson1_1 (SageMaker, SSM): `POST /` with `X-Amz-Target: <Prefix>.<Operation>` and a JSON body; results
 * are JSON with timestamps as epoch seconds; errors are `{"__type": code, "message"}` plus the
 * `x-amzn-errortype` header.
 */
export function awsJsonProtocol(): WireProtocol {
  return {
    throttling: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },

    async decode(request: WireRequest) {
      const target = header(request, 'x-amz-target') ?? '';
      const operation = target.slice(target.indexOf('.') + 1);
      if (!operation) {
        throw new AwsError(
          'UnknownOperationException',
          `missing X-Amz-Target header; expected "<Service>.<Operation>"`,
        );
      }
      return { operation, input: parseJsonObject(await request.body()) };
    },

    encode(_call, output, ctx) {
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': ctx.requestId },
        body: toJson(output ?? {}),
      };
    },

    encodeError(error, ctx) {
      return {
        status: error.status,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': ctx.requestId,
          'x-amzn-errortype': error.code,
        },
        body: toJson({ ...error.fields, __type: error.code, message: error.message }),
      };
    },

    unknownOperation(operation, service) {
      return new AwsError(
        'UnknownOperationException',
        `the local AWS does not implement ${service} operation ${operation}`,
      );
    },
  };
}

/** A JSON request body as an object; empty means `{}`. */
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
