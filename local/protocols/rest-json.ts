import { AwsError } from '../core/errors';
import type { RequestContext } from '../core/service';
import { parseJsonObject } from './aws-json';
import { toJson, type WireProtocol, type WireRequest, type WireResponse } from './wire';

/** One HTTP binding of a restJson operation. */
export interface RestRoute {
  readonly method: string;
  /** Path template with `{Label}` segments, e.g. `/2015-03-31/functions/{FunctionName}/invocations`. */
  readonly path: string;
  readonly operation: string;
  /** Builds the input; the default is query parameters + path labels + the JSON body. */
  readonly request?: (
    request: WireRequest,
    labels: Record<string, string>,
  ) => Promise<Record<string, unknown>>;
  /** Encodes the output; the default is the output as JSON with `status`. */
  readonly response?: (output: unknown, ctx: RequestContext) => WireResponse;
  /** HTTP status of a success with the default encoding (200 unless set). */
  readonly status?: number;
}

interface CompiledRoute extends RestRoute {
  readonly pattern: RegExp;
  readonly labels: readonly string[];
}

/**
 * restJson1 (Lambda, SageMaker Runtime): the operation is found from method + path; errors are JSON
 * `{"message"}` with the code in the `x-amzn-ErrorType` header.
 */
export function restJsonProtocol(routes: readonly RestRoute[]): WireProtocol {
  const compiled = routes.map(compileRoute);
  return {
    throttling: { code: 'ThrottlingException', status: 429, message: 'Rate exceeded' },

    async decode(request) {
      const path = request.path.replace(/\/+$/, '') || '/';
      for (const route of compiled) {
        if (route.method !== request.method) continue;
        const match = route.pattern.exec(path);
        if (!match) continue;
        const labels = Object.fromEntries(
          route.labels.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]),
        );
        const input = route.request
          ? await route.request(request, labels)
          : { ...Object.fromEntries(request.query), ...labels, ...parseJsonObject(await request.body()) };
        return { operation: route.operation, input };
      }
      throw new AwsError(
        'UnknownOperationException',
        `the local AWS has no operation at ${request.method} ${request.path}`,
        {
          status: 404,
        },
      );
    },

    encode(call, output, ctx) {
      const route = compiled.find((candidate) => candidate.operation === call.operation);
      if (route?.response) return route.response(output, ctx);
      return {
        status: route?.status ?? 200,
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': ctx.requestId },
        body: output === undefined ? '' : toJson(output),
      };
    },

    encodeError(error, ctx) {
      return {
        status: error.status,
        headers: {
          'content-type': 'application/json',
          'x-amzn-requestid': ctx.requestId,
          'x-amzn-errortype': error.code,
        },
        body: toJson({
          ...error.fields,
          Type: error.senderFault ? 'User' : 'Service',
          message: error.message,
        }),
      };
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

function compileRoute(route: RestRoute): CompiledRoute {
  const labels: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    labels.push(name);
    return '([^/]+)';
  });
  return { ...route, labels, pattern: new RegExp(`^${source}$`) };
}
