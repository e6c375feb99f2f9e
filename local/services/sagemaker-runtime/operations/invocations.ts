import type { InvokeEndpointInput, InvokeEndpointOutput } from '@aws-sdk/client-sagemaker-runtime';

import { AwsError } from '../../../core/errors';
import { operation } from '../../../core/operations';
import { optional } from '../../../core/optional';
import type { OperationHandler, RequestContext } from '../../../core/service';
import type { Validated } from '../../../core/validated';
import { NoResponseError, type InvocationResponse } from '../../../runtimes/xgboost-serving';
import type { EndpointService } from '../../sagemaker/endpoints';
import type { DataCapture } from '../data-capture';

/** What invocations reach: the one endpoint service (owned by SageMaker) and the data capture. */
export interface InvocationParts {
  readonly endpoints: EndpointService;
  readonly capture: DataCapture;
}

export function invocationOperations(parts: InvocationParts): Record<string, OperationHandler> {
  return {
    InvokeEndpoint: operation<Validated<InvokeEndpointInput>, InvokeEndpointOutput>((input, ctx) =>
      invokeEndpoint(parts, input, ctx),
    ),
  };
}

/**
 * SageMaker Runtime's InvokeEndpoint (the model's 6 MB Body limit is checked by the protocol layer before
 * it gets here): the variant choice, and the container's non-2xx
 * answers turned into ModelError (424) with OriginalStatusCode and OriginalMessage. A container that gives
 * no answer (its worker died, or is down between restarts) is original status 0, as SageMaker reports it.
 */
async function invokeEndpoint(
  runtime: InvocationParts,
  input: Validated<InvokeEndpointInput>,
  ctx: RequestContext,
): Promise<InvokeEndpointOutput> {
  const { endpoints } = runtime;
  const name = input.EndpointName;
  // A view, not a copy: bodies run up to 6 MB.
  const body = Buffer.from(input.Body.buffer, input.Body.byteOffset, input.Body.byteLength);
  const variant = await endpoints.servingVariant(name, input.TargetVariant);
  const response = await variant.container
    .invocations({ body, contentType: input.ContentType, accept: input.Accept })
    .catch((error: unknown): InvocationResponse => {
      if (!(error instanceof NoResponseError)) throw error;
      const message = `Amazon SageMaker could not get a response from the ${name} endpoint: ${error.message}`;
      return { status: 0, body: message, contentType: 'text/plain' };
    });
  if (response.status < 200 || response.status >= 300) throw modelError(response, name, ctx);
  const capture = endpoints.captureConfig(name);
  if (capture) {
    runtime.capture.record({
      endpointName: name,
      variantName: variant.name,
      config: capture,
      input: { body, contentType: input.ContentType },
      output: { body: response.body, contentType: response.contentType },
      inferenceId: input.InferenceId,
      time: new Date(),
    });
  }
  return {
    Body: Buffer.from(response.body),
    ContentType: response.contentType,
    InvokedProductionVariant: variant.name,
    ...optional('CustomAttributes', input.CustomAttributes),
  };
}

function modelError(response: InvocationResponse, name: string, ctx: { region: string; accountId: string }) {
  const kind = response.status >= 400 && response.status < 500 ? 'client' : 'server';
  return new AwsError(
    'ModelError',
    `Received ${kind} error (${response.status}) from primary with message "${response.body}". See https://${ctx.region}.console.aws.amazon.com/cloudwatch/home?region=${ctx.region}#logEventViewer:group=/aws/sagemaker/Endpoints/${name} in account ${ctx.accountId} for more information.`,
    {
      status: 424,
      fields: {
        OriginalStatusCode: response.status,
        OriginalMessage: response.body,
        LogStreamArn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:/aws/sagemaker/Endpoints/${name}`,
      },
    },
  );
}
