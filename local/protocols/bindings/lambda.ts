import type { RestRoute } from '../rest-json';
import { header } from '../wire';

const FUNCTIONS = '/2015-03-31/functions';

/** Output of the Lambda provider's Invoke: the payload travels as the raw body, the rest as headers. */
export interface InvokeOutput {
  readonly StatusCode: number;
  readonly Payload: Buffer;
  readonly FunctionError?: string;
  readonly ExecutedVersion?: string;
  readonly LogResult?: string;
}

/** Lambda's restJson bindings (API version 2015-03-31). */
export const lambdaRoutes: readonly RestRoute[] = [
  { method: 'POST', path: FUNCTIONS, operation: 'CreateFunction', status: 201 },
  { method: 'GET', path: FUNCTIONS, operation: 'ListFunctions' },
  { method: 'GET', path: `${FUNCTIONS}/{FunctionName}`, operation: 'GetFunction' },
  { method: 'GET', path: `${FUNCTIONS}/{FunctionName}/configuration`, operation: 'GetFunctionConfiguration' },
  { method: 'DELETE', path: `${FUNCTIONS}/{FunctionName}`, operation: 'DeleteFunction', status: 204 },
  {
    method: 'POST',
    path: `${FUNCTIONS}/{FunctionName}/invocations`,
    operation: 'Invoke',
    async request(request, labels) {
      return {
        FunctionName: labels.FunctionName,
        InvocationType: header(request, 'x-amz-invocation-type') ?? 'RequestResponse',
        LogType: header(request, 'x-amz-log-type') ?? 'None',
        Qualifier: request.query.get('Qualifier') ?? undefined,
        Payload: await request.body(),
      };
    },
    response(output, ctx) {
      const result = output as InvokeOutput;
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-amzn-requestid': ctx.requestId,
        'x-amz-executed-version': result.ExecutedVersion ?? '$LATEST',
      };
      if (result.FunctionError) headers['x-amz-function-error'] = result.FunctionError;
      if (result.LogResult) headers['x-amz-log-result'] = result.LogResult;
      return { status: result.StatusCode, headers, body: result.Payload };
    },
  },
];
