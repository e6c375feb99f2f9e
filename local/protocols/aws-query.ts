import { AwsError } from '../core/errors';
import type { WireProtocol, WireRequest } from './wire';
import { buildXml, xmlValue } from './xml';

export interface AwsQueryOptions {
  /** The service's XML namespace, e.g. `http://cloudformation.amazonaws.com/doc/2010-05-15/`. */
  readonly xmlNamespace: string;
}

/**
 * awsQuery (CloudFormation): form-encoded `Action=<Operation>&Version=...` with nested members flattened
 * (`Parameters.member.1.ParameterKey=k`). Inputs reach the provider as plain objects and arrays of strings
 * (the wire carries no types: numbers and booleans arrive as "1" / "true", an empty list as ""). Results are
 * XML `<XResponse><XResult>...</XResult><ResponseMetadata/>` with lists as `<member>`.
 */
export function awsQueryProtocol(options: AwsQueryOptions): WireProtocol {
  return {
    throttling: { code: 'Throttling', status: 400, message: 'Rate exceeded' },

    async decode(request: WireRequest) {
      const form = new URLSearchParams((await request.body()).toString('utf8'));
      for (const [name, value] of request.query) if (!form.has(name)) form.append(name, value);
      const operation = form.get('Action');
      if (!operation)
        throw new AwsError('MissingAction', 'request has no Action parameter; expected Action=<Operation>');
      return { operation, input: decodeQueryParameters(form) };
    },

    encode(call, output, ctx) {
      const result = xmlValue(output ?? {}, 'member') as Record<string, unknown>;
      const response: Record<string, unknown> = { '@_xmlns': options.xmlNamespace };
      // Always present, even empty: botocore reads `<XResult>` unconditionally (KeyError without it).
      response[`${call.operation}Result`] = result;
      response.ResponseMetadata = { RequestId: ctx.requestId };
      return {
        status: 200,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
        body: buildXml({ [`${call.operation}Response`]: response }),
      };
    },

    encodeError(error, ctx) {
      const detail = xmlValue(error.fields, 'member') as Record<string, unknown>;
      return {
        status: error.status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
        body: buildXml({
          ErrorResponse: {
            '@_xmlns': options.xmlNamespace,
            Error: {
              Type: error.senderFault ? 'Sender' : 'Receiver',
              Code: error.code,
              Message: error.message,
              ...detail,
            },
            RequestId: ctx.requestId,
          },
        }),
      };
    },

    unknownOperation(operation, service) {
      return new AwsError(
        'InvalidAction',
        `the local AWS does not implement ${service} operation ${operation}`,
      );
    },
  };
}

type Tree = { [name: string]: Tree | string };

/**
 * Rebuilds nested input from flattened query parameters: `A.member.N.B` → `A: [{B}]`,
 * `A.entry.N.key/value` → `A: {key: value}`. `Action` and `Version` are protocol fields, not input.
 */
export function decodeQueryParameters(form: URLSearchParams): Record<string, unknown> {
  const root: Tree = {};
  for (const [name, value] of form) {
    if (name === 'Action' || name === 'Version') continue;
    const path = name.split('.');
    let node = root;
    path.forEach((segment, index) => {
      if (index === path.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      node = typeof next === 'object' ? next : (node[segment] = {});
    });
  }
  return normalize(root) as Record<string, unknown>;
}

function normalize(node: Tree | string): unknown {
  if (typeof node === 'string') return node;
  const names = Object.keys(node);
  if (names.length === 1 && (names[0] === 'member' || names[0] === 'entry')) {
    const items = indexed(node[names[0]]!);
    if (names[0] === 'member') return items.map(normalize);
    return Object.fromEntries(
      items.map((entry) => {
        const pair = entry as Tree;
        return [String(normalize(pair.key ?? '')), normalize(pair.value ?? '')];
      }),
    );
  }
  return Object.fromEntries(names.map((name) => [name, normalize(node[name]!)]));
}

/** `{ "2": b, "1": a }` → `[a, b]` (query lists are 1-based and may arrive in any order). */
function indexed(node: Tree | string): (Tree | string)[] {
  if (typeof node === 'string') return [node];
  return Object.keys(node)
    .sort((a, b) => Number(a) - Number(b))
    .map((index) => node[index]!);
}
