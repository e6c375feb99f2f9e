import { AwsError } from '../../core/errors';
import { NoResponseError, type InvocationResponse } from '../../runtimes/xgboost-serving';
import type { EndpointService } from '../sagemaker/endpoints';

/** InvokeEndpoint's input as the restJson binding passes it (headers as members, the raw body). */
interface InvokeInput {
  readonly EndpointName?: unknown;
  readonly Body?: unknown;
  readonly ContentType?: unknown;
  readonly Accept?: unknown;
  readonly CustomAttributes?: unknown;
  readonly TargetVariant?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * SageMaker Runtime's InvokeEndpoint (the model's 6 MB Body limit is checked by the protocol layer before
 * it gets here): the variant choice, and the container's non-2xx
 * answers turned into ModelError (424) with OriginalStatusCode and OriginalMessage. A container that gives
 * no answer (its worker died, or is down between restarts) is original status 0, as SageMaker reports it.
 */
export async function invokeEndpoint(
  endpoints: EndpointService,
  input: InvokeInput,
  ctx: { region: string; accountId: string },
) {
  const name = text(input.EndpointName);
  if (!name) throw new AwsError('ValidationError', 'EndpointName is required');
  const body = Buffer.isBuffer(input.Body) ? input.Body : Buffer.from(text(input.Body) ?? '');
  const variant = await endpoints.servingVariant(name, text(input.TargetVariant));
  const response = await variant.container
    .invocations({ body, contentType: text(input.ContentType), accept: text(input.Accept) })
    .catch((error: unknown): InvocationResponse => {
      if (!(error instanceof NoResponseError)) throw error;
      const message = `Amazon SageMaker could not get a response from the ${name} endpoint: ${error.message}`;
      return { status: 0, body: message, contentType: 'text/plain' };
    });
  if (response.status < 200 || response.status >= 300) throw modelError(response, name, ctx);
  const customAttributes = text(input.CustomAttributes);
  return {
    Body: response.body,
    ContentType: response.contentType,
    InvokedProductionVariant: variant.name,
    ...(customAttributes === undefined ? {} : { CustomAttributes: customAttributes }),
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
