import type { RestRoute } from '../rest-json';
import { header } from '../wire';

/**
 * What the SageMaker Runtime provider's InvokeEndpoint returns: the model's raw answer and the headers that
 * describe it (the same members as the SDK's InvokeEndpointOutput).
 */
export interface InvokeEndpointOutput {
  readonly Body: Buffer | string;
  readonly ContentType?: string;
  readonly InvokedProductionVariant?: string;
  readonly CustomAttributes?: string;
}

/**
 * SageMaker Runtime's restJson bindings. Clients sign these with the service name `sagemaker`, so the
 * server routes them by path. The provider receives the raw body and the request headers as input members
 * (EndpointName, Body, ContentType, Accept, CustomAttributes, TargetModel, TargetVariant,
 * TargetContainerHostname, InferenceId, InferenceComponentName, SessionId).
 */
export const sagemakerRuntimeRoutes: readonly RestRoute[] = [
  {
    method: 'POST',
    path: '/endpoints/{EndpointName}/invocations',
    operation: 'InvokeEndpoint',
    async request(request, labels) {
      const members: Record<string, string | undefined> = {
        ContentType: header(request, 'content-type'),
        Accept: header(request, 'accept'),
        CustomAttributes: header(request, 'x-amzn-sagemaker-custom-attributes'),
        TargetModel: header(request, 'x-amzn-sagemaker-target-model'),
        TargetVariant: header(request, 'x-amzn-sagemaker-target-variant'),
        TargetContainerHostname: header(request, 'x-amzn-sagemaker-target-container-hostname'),
        InferenceId: header(request, 'x-amzn-sagemaker-inference-id'),
        InferenceComponentName: header(request, 'x-amzn-sagemaker-inference-component'),
        SessionId: header(request, 'x-amzn-sagemaker-session-id'),
      };
      const present = Object.entries(members).filter(([, value]) => value !== undefined);
      return {
        EndpointName: labels.EndpointName,
        Body: await request.body(),
        ...Object.fromEntries(present),
      };
    },
    response(output, ctx) {
      const result = output as InvokeEndpointOutput;
      const headers: Record<string, string> = {
        'content-type': result.ContentType ?? 'application/octet-stream',
        'x-amzn-requestid': ctx.requestId,
      };
      if (result.InvokedProductionVariant)
        headers['x-amzn-invoked-production-variant'] = result.InvokedProductionVariant;
      if (result.CustomAttributes) headers['x-amzn-sagemaker-custom-attributes'] = result.CustomAttributes;
      return { status: 200, headers, body: result.Body };
    },
  },
  // Routed so a client gets an error naming the operation; the local runtime implements InvokeEndpoint only.
  {
    method: 'POST',
    path: '/endpoints/{EndpointName}/async-invocations',
    operation: 'InvokeEndpointAsync',
    request: labelsOnly,
  },
  {
    method: 'POST',
    path: '/endpoints/{EndpointName}/invocations-response-stream',
    operation: 'InvokeEndpointWithResponseStream',
    request: labelsOnly,
  },
];

async function labelsOnly(
  _request: unknown,
  labels: Record<string, string>,
): Promise<Record<string, unknown>> {
  return labels;
}
