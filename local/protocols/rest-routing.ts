import { AwsError } from '../core/errors';
import type { RestRoute, RouteMatch } from './model/http-bindings';
import { type ServiceModel, type Shape, shapeOf } from './model/shapes';
import { header, type WireRequest } from './wire';

/**
 * Picks the operation of a rest request when several share a method and URI template, as S3's do (PUT
 * `/{Bucket}/{Key+}` is PutObject, CopyObject, UploadPart or UploadPartCopy): a candidate needs every
 * required member bound to a query parameter or header present, and every query parameter of the request
 * bound by its input (a sub-resource it does not bind, like `?tagging`, is another operation). The most
 * specific candidate wins: literal query flags, then required bound members, then literal path characters.
 */
export function resolveRoute(
  model: ServiceModel,
  routes: readonly RestRoute[],
  request: Pick<WireRequest, 'method' | 'query' | 'headers'> & { readonly path: string },
): RouteMatch | undefined {
  let best: { match: RouteMatch; score: number } | undefined;
  for (const route of routes) {
    if (route.method !== request.method) continue;
    const found = route.pattern.exec(request.path);
    if (!found || !literalQueryPresent(route, request.query)) continue;
    const input = inputOf(model, route.operation);
    const required = requiredBound(input);
    if (!required.every((binding) => bindingPresent(binding, request))) continue;
    if (!queryAllBound(route, input, request.query)) continue;
    const score = route.query.size * 1_000_000 + required.length * 1_000 + route.specificity;
    if (best && best.score >= score) continue;
    const labels = Object.fromEntries(route.labels.map((name, i) => [name, decodeLabel(found[i + 1]!)]));
    best = { match: { operation: route.operation, labels }, score };
  }
  return best?.match;
}

function inputOf(model: ServiceModel, operation: string): Shape {
  const ref = model.operations[operation]?.input;
  return ref ? shapeOf(model, ref) : { type: 'structure', members: {} };
}

function literalQueryPresent(route: RestRoute, query: URLSearchParams): boolean {
  return [...route.query].every(([name, value]) =>
    value === '' ? query.has(name) : query.get(name) === value,
  );
}

interface Binding {
  readonly location: 'querystring' | 'header';
  readonly name: string;
}

function requiredBound(input: Shape): Binding[] {
  return (input.required ?? []).flatMap((member) => {
    const ref = input.members?.[member];
    if ((ref?.location === 'querystring' || ref?.location === 'header') && ref.locationName)
      return [{ location: ref.location, name: ref.locationName }];
    return [];
  });
}

function bindingPresent(binding: Binding, request: Pick<WireRequest, 'query' | 'headers'>): boolean {
  return binding.location === 'querystring'
    ? request.query.has(binding.name)
    : header(request as WireRequest, binding.name) !== undefined;
}

/** Query parameters that address no operation: SDKs' `x-id` hint and presigned URLs' signature parameters. */
const isProtocolParameter = (name: string) => name === 'x-id' || /^x-amz-/i.test(name);

function queryAllBound(route: RestRoute, input: Shape, query: URLSearchParams): boolean {
  const members = Object.values(input.members ?? {}).filter((ref) => ref.location === 'querystring');
  // A query map member without a name takes any parameter.
  if (members.some((ref) => !ref.locationName)) return true;
  const bound = new Set(members.map((ref) => ref.locationName));
  return [...query.keys()].every(
    (name) => route.query.has(name) || bound.has(name) || isProtocolParameter(name),
  );
}

/** A label as the client meant it: percent-decoded once, nothing else (`..` and `.` stay literal). */
function decodeLabel(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AwsError(
      'InvalidURI',
      `Couldn't parse the specified URI: "${text}" is not valid percent-encoding`,
    );
  }
}
