import { AwsError } from '../core/errors';
import { bodyLimit } from './body-limits';
import { modelledError } from './model/errors';
import { fromText } from './model/http-bindings';
import { checkInput, operationModel } from './model/operation-input';
import { type ServiceModel, type Shape, type ShapeRef, shapeOf, wireName } from './model/shapes';
import type { WireProtocol, WireRequest } from './wire';
import { buildXml } from './xml';
import { writeXmlShape } from './xml-shape';

/**
 * awsQuery (CloudFormation), driven by the model: `Action=<Operation>` with the input flattened into form
 * parameters by its shape (`Tags.member.1.Key`, flattened lists `Name.1`, maps `Name.entry.1.key`), typed
 * and checked against the model's constraints (ValidationError). Answers are
 * `<XResponse><XResult>…</XResult><ResponseMetadata>` with the result wrapper ALWAYS present when the
 * operation has an output, empty or not (botocore reads it unconditionally); lists as `<member>`,
 * timestamps ISO 8601. Errors are `<ErrorResponse><Error><Type><Code><Message>`.
 */
export function awsQueryProtocol(model: ServiceModel): WireProtocol {
  const namespace = model.metadata.xmlNamespace;
  const unknown = (operation: string) =>
    new AwsError(
      'InvalidAction',
      `The action ${operation} is not valid for this web service (the local AWS implements ${Object.keys(model.operations).join(', ')})`,
    );
  const withNamespace = (content: Record<string, unknown>) =>
    namespace ? { '@_xmlns': namespace, ...content } : content;
  return {
    throttling: { code: 'Throttling', status: 400, message: 'Rate exceeded' },

    async decode(request: WireRequest) {
      const form = await formOf(request, (name) => bodyLimit(model.metadata.serviceId, name));
      const action = form.get('Action');
      if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action');
      const operation = operationModel(model, action, unknown);
      const input = operation.input
        ? (readQueryShape({ model, form, keys: [...form.keys()] }, operation.input, '') as Record<
            string,
            unknown
          >)
        : {};
      checkInput(model, operation, input, 'ValidationError');
      return { operation: action, input };
    },

    encode(call, output, ctx) {
      const operation = operationModel(model, call.operation, unknown);
      const content: Record<string, unknown> = {};
      if (operation.output) {
        const wrapper = operation.output.resultWrapper ?? `${call.operation}Result`;
        content[wrapper] = writeXmlShape(model, operation.output, output ?? {});
      }
      content.ResponseMetadata = { RequestId: ctx.requestId };
      return {
        status: 200,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
        body: buildXml({ [`${call.operation}Response`]: withNamespace(content) }),
      };
    },

    encodeError(error, ctx) {
      const { status, senderFault } = modelledError(model, error);
      const fields = Object.fromEntries(
        Object.entries(error.fields).map(([name, value]) => [name, String(value)]),
      );
      return {
        status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
        body: buildXml({
          ErrorResponse: withNamespace({
            Error: {
              Type: senderFault ? 'Sender' : 'Receiver',
              Code: error.code,
              Message: error.message,
              ...fields,
            },
            RequestId: ctx.requestId,
          }),
        }),
      };
    },

    unknownOperation: (operation) => unknown(operation),
  };
}

/** The form parameters: the body (form-encoded) and the query string (an Action may come in either). */
async function formOf(request: WireRequest, limit: (operation: string) => number): Promise<URLSearchParams> {
  const action = request.query.get('Action') ?? '';
  const form = new URLSearchParams((await request.body(limit(action))).toString('utf8'));
  for (const [name, value] of request.query) if (!form.has(name)) form.append(name, value);
  return form;
}

interface QueryRead {
  readonly model: ServiceModel;
  readonly form: URLSearchParams;
  /** Every parameter name, to find a list's or map's indices. */
  readonly keys: readonly string[];
}

/** The typed value of the parameters under `prefix` for `ref`'s shape; undefined when none are given. */
export function readQueryShape(read: QueryRead, ref: ShapeRef | string, prefix: string): unknown {
  const shape = shapeOf(read.model, ref);
  switch (shape.type) {
    case 'structure':
      return readStructure(read, shape, prefix);
    case 'list':
      return readList(read, shape, prefix);
    case 'map':
      return readMap(read, shape, prefix);
    default: {
      const text = read.form.get(prefix);
      if (text === null) return undefined;
      try {
        return fromText(read.model, shape, text, `parameter ${prefix}`);
      } catch (error) {
        throw new AwsError('ValidationError', (error as Error).message);
      }
    }
  }
}

function readStructure(read: QueryRead, shape: Shape, prefix: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const value = readQueryShape(read, ref, join(prefix, wireName(name, ref)));
    if (value !== undefined) out[name] = value;
  }
  // A nested structure none of whose members were given is absent (the top level is always an object).
  return prefix !== '' && Object.keys(out).length === 0 ? undefined : out;
}

function readList(read: QueryRead, shape: Shape, prefix: string): unknown[] | undefined {
  // An empty list is sent as the bare name with an empty value (`Capabilities=`).
  if (read.form.get(prefix) === '') return [];
  const base = shape.flattened ? prefix : join(prefix, shape.member!.locationName ?? 'member');
  const items = indices(read.keys, base).map((index) =>
    readQueryShape(read, shape.member!, `${base}.${index}`),
  );
  return items.length === 0 ? undefined : items;
}

function readMap(read: QueryRead, shape: Shape, prefix: string): Record<string, unknown> | undefined {
  if (read.form.get(prefix) === '') return {};
  const base = shape.flattened ? prefix : join(prefix, 'entry');
  const keyName = shape.key!.locationName ?? 'key';
  const valueName = shape.value!.locationName ?? 'value';
  const entries = indices(read.keys, base).map((index) => [
    read.form.get(`${base}.${index}.${keyName}`) ?? '',
    readQueryShape(read, shape.value!, `${base}.${index}.${valueName}`),
  ]);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** The 1-based indices used under `base` (`base.3.x` → 3), in order; lists may arrive in any order. */
function indices(keys: readonly string[], base: string): number[] {
  const found = new Set<number>();
  for (const key of keys) {
    if (!key.startsWith(`${base}.`)) continue;
    const index = Number(key.slice(base.length + 1).split('.')[0]);
    if (Number.isInteger(index) && index >= 1) found.add(index);
  }
  return [...found].sort((a, b) => a - b);
}

const join = (prefix: string, name: string) => (prefix === '' ? name : `${prefix}.${name}`);
