import { awsJsonProtocol } from './aws-json';
import { awsQueryProtocol } from './aws-query';
import { lambdaRoutes } from './bindings/lambda';
import { sagemakerRuntimeRoutes } from './bindings/sagemaker-runtime';
import { restJsonProtocol } from './rest-json';
import { s3RestXmlProtocol } from './rest-xml-s3';
import { header, type WireProtocol, type WireRequest } from './wire';

/** The wire protocol of each service, by provider name. */
const PROTOCOLS: Readonly<Record<string, WireProtocol>> = {
  sagemaker: awsJsonProtocol(),
  ssm: awsJsonProtocol(),
  events: awsJsonProtocol(),
  cloudformation: awsQueryProtocol({ xmlNamespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/' }),
  s3: s3RestXmlProtocol(),
  lambda: restJsonProtocol(lambdaRoutes),
  'runtime.sagemaker': restJsonProtocol(sagemakerRuntimeRoutes),
};

/** awsJson target prefixes (`X-Amz-Target: <prefix>.<Operation>`) → provider name. */
const TARGET_PREFIXES: Readonly<Record<string, string>> = {
  SageMaker: 'sagemaker',
  AmazonSSM: 'ssm',
  AWSEvents: 'events',
};

/** Fallback for requests naming a service the local AWS does not know: errors in JSON. */
export const FALLBACK_PROTOCOL = awsJsonProtocol();

export function protocolFor(service: string): WireProtocol | undefined {
  return PROTOCOLS[service];
}

/**
 * Which service a request is for: by X-Amz-Target, then the SigV4 credential scope's service name (in the
 * Authorization header or a presigned URL's X-Amz-Credential), then the path. SageMaker Runtime signs as
 * `sagemaker`, so `/endpoints/...` paths go to it whatever the scope says.
 */
export function routeService(request: WireRequest): string {
  const target = header(request, 'x-amz-target');
  if (target) {
    const prefix = target.slice(0, target.indexOf('.'));
    return TARGET_PREFIXES[prefix] ?? prefix;
  }
  if (request.path.startsWith('/endpoints/')) return 'runtime.sagemaker';
  const scope = signingService(request);
  if (scope) return scope;
  if (request.path.startsWith('/2015-03-31/functions')) return 'lambda';
  if (request.method === 'POST' && request.path === '/' && isForm(request)) return 'cloudformation';
  return 's3';
}

/** The service name in `Credential=AKID/date/region/service/aws4_request`. */
export function signingService(request: WireRequest): string | undefined {
  const credential =
    /Credential=([^,\s]+)/.exec(header(request, 'authorization') ?? '')?.[1] ??
    request.query.get('X-Amz-Credential');
  return credential?.split('/')[3];
}

function isForm(request: WireRequest): boolean {
  return (header(request, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded');
}
