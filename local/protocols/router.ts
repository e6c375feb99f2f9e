import { awsJsonProtocol } from './aws-json';
import { awsQueryProtocol } from './aws-query';
import { matchRoute, restRoutes, type RestRoute } from './model/http-bindings';
import { loadModel, type ServiceModel } from './model/shapes';
import { restJsonProtocol } from './rest-json';
import { s3RestXmlProtocol } from './rest-xml-s3';
import { header, type WireProtocol, type WireRequest } from './wire';

/** What the router needs to know of a provider: its name, and the botocore model it follows (if any). */
export interface RoutedService {
  readonly name: string;
  readonly model?: string;
}

/** The model-driven codec of each protocol named in a model's metadata. */
const CODECS: Partial<Record<ServiceModel['metadata']['protocol'], (model: ServiceModel) => WireProtocol>> = {
  json: awsJsonProtocol,
  'rest-json': restJsonProtocol,
};

/** Codecs of services not yet driven by their model (by provider name). */
const LEGACY_PROTOCOLS: Readonly<Record<string, () => WireProtocol>> = {
  cloudformation: () =>
    awsQueryProtocol({ xmlNamespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/' }),
  s3: s3RestXmlProtocol,
};

interface Entry {
  readonly name: string;
  readonly protocol: WireProtocol;
  readonly model?: ServiceModel;
  readonly routes?: readonly RestRoute[];
}

/** Where a request goes: the provider's name and the codec that decodes it (none: no such service runs). */
export interface Route {
  readonly service: string;
  readonly protocol?: WireProtocol;
}

export interface Router {
  route(request: WireRequest): Route;
  /** Answers a request for no known service in JSON (the error names what runs). */
  readonly fallback: WireProtocol;
}

/**
 * Routes by what the models say: `X-Amz-Target` prefix (awsJson) → the model with that targetPrefix; the
 * SigV4 scope's service (Authorization or a presigned URL's X-Amz-Credential) → the models signing with
 * that name, the rest ones by their requestUri templates (SageMaker Runtime signs as `sagemaker`); a path
 * of a restJson model; a form POST → the awsQuery service; anything else → S3.
 */
export function createRouter(services: readonly RoutedService[]): Router {
  const entries = services.map(entryFor);
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const found = (entry: Entry | undefined, asked: string): Route =>
    entry ? { service: entry.name, protocol: entry.protocol } : { service: asked };
  const pathMatch = (candidates: readonly Entry[], request: WireRequest) =>
    candidates.find((entry) => entry.routes && matchRoute(entry.routes, request));
  return {
    fallback: FALLBACK_PROTOCOL,
    route(request) {
      const target = header(request, 'x-amz-target');
      if (target) {
        const prefix = target.slice(0, target.indexOf('.'));
        return found(
          entries.find((entry) => entry.model?.metadata.targetPrefix === prefix),
          prefix,
        );
      }
      const scope = signingService(request);
      const signed = entries.filter((entry) => signingNames(entry).includes(scope ?? ''));
      const rest = entries.filter((entry) => entry.routes);
      const match =
        pathMatch(signed, request) ?? (signed.length === 0 ? pathMatch(rest, request) : undefined);
      if (match) return found(match, match.name);
      if (scope) {
        return found(signed.find((entry) => !entry.model?.metadata.targetPrefix) ?? byName.get(scope), scope);
      }
      if (request.method === 'POST' && request.path === '/' && isForm(request))
        return found(byName.get('cloudformation'), 'cloudformation');
      return found(byName.get('s3'), 's3');
    },
  };
}

function entryFor(service: RoutedService): Entry {
  if (service.model) {
    const model = loadModel(service.model);
    const codec = CODECS[model.metadata.protocol];
    if (!codec) throw new Error(`no codec for protocol ${model.metadata.protocol} (${service.model})`);
    const routes = model.metadata.protocol.startsWith('rest') ? restRoutes(model) : undefined;
    return { name: service.name, protocol: codec(model), model, ...(routes ? { routes } : {}) };
  }
  const legacy = LEGACY_PROTOCOLS[service.name];
  if (!legacy) throw new Error(`service ${service.name} names no model and has no protocol`);
  return { name: service.name, protocol: legacy() };
}

function signingNames(entry: Entry): string[] {
  const metadata = entry.model?.metadata;
  if (!metadata) return [entry.name];
  return [metadata.signingName ?? metadata.endpointPrefix, entry.name];
}

/** Fallback for requests naming a service the local AWS does not know: errors in JSON. */
const FALLBACK_PROTOCOL: WireProtocol = awsJsonProtocol(loadModel('sagemaker'));

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
