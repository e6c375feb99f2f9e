import { asBuffer } from './model/json-shape';
import { formatTimestamp, parseTimestamp } from './model/timestamps';
import { type ServiceModel, type Shape, type ShapeRef, shapeOf, wireName } from './model/shapes';
import { malformedXml as malformed, type XmlNode } from './xml';

/**
 * XML ↔ typed values by shape, for restXml and awsQuery bodies, with botocore's naming rules: a member's
 * element is its `locationName` (a flattened list's items take the list member's name); a list that is not
 * flattened wraps items in `<member>` (or the member's locationName); maps are `<entry><key/><value/></entry>`.
 * Timestamps are ISO 8601 unless the model says otherwise. Members bound to HTTP parts are not body members.
 */

/** The element name of a structure member (botocore's `_member_key_name`). */
function elementName(model: ServiceModel, name: string, ref: ShapeRef): string {
  const shape = shapeOf(model, ref);
  if (shape.type === 'list' && shape.flattened && shape.member?.locationName)
    return shape.member.locationName;
  return wireName(name, ref);
}

/** Body members of a structure: those not bound to the URI, query, headers or status code. */
export function bodyMembers(shape: Shape): [string, ShapeRef][] {
  return Object.entries(shape.members ?? {}).filter(([, ref]) => !ref.location);
}

// ---- typed value → XMLBuilder content ----

/** The content of the element for `value` of `ref`'s shape, in fast-xml-parser's builder form. */
export function writeXmlShape(model: ServiceModel, ref: ShapeRef, value: unknown): unknown {
  return write(model, ref, shapeOf(model, ref), value);
}

function write(model: ServiceModel, ref: ShapeRef, shape: Shape, value: unknown): unknown {
  switch (shape.type) {
    case 'structure':
      return writeStructure(model, shape, (value ?? {}) as Record<string, unknown>);
    case 'list': {
      const member = shape.member!;
      const items = (value as unknown[]).map((item) => write(model, member, shapeOf(model, member), item));
      // A flattened list's items are repeated by the parent (see writeStructure); this is the wrapped form.
      return items.length === 0 ? '' : { [member.locationName ?? 'member']: items };
    }
    case 'map': {
      const [keyRef, valueRef] = [shape.key!, shape.value!];
      const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => ({
        [keyRef.locationName ?? 'key']: key,
        [valueRef.locationName ?? 'value']: write(model, valueRef, shapeOf(model, valueRef), item),
      }));
      return entries.length === 0 ? '' : { entry: entries };
    }
    case 'timestamp': {
      const date = value instanceof Date ? value : parseTimestamp(value);
      if (!date) throw new Error(`timestamp member holds ${JSON.stringify(value)}, not a Date`);
      return formatTimestamp(date, ref.timestampFormat ?? shape.timestampFormat ?? 'iso8601');
    }
    case 'blob':
      return asBuffer(value).toString('base64');
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return String(value);
  }
}

function writeStructure(model: ServiceModel, shape: Shape, value: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of bodyMembers(shape)) {
    const member = value[name];
    if (member === undefined || member === null) continue;
    const memberShape = shapeOf(model, ref);
    if (ref.xmlAttribute) {
      out[`@_${wireName(name, ref)}`] = write(model, ref, memberShape, member);
    } else if (memberShape.type === 'list' && memberShape.flattened) {
      const itemRef = memberShape.member!;
      const items = (member as unknown[]).map((item) => write(model, itemRef, shapeOf(model, itemRef), item));
      if (items.length > 0) out[elementName(model, name, ref)] = items;
    } else {
      out[elementName(model, name, ref)] = write(model, ref, memberShape, member);
    }
  }
  return out;
}

// ---- parsed XML → typed value ----

/** Reads an element's content (as `parseXmlDocument` gives it) as a typed value of `ref`'s shape. */
export function readXmlShape(model: ServiceModel, ref: ShapeRef, node: XmlNode, path: string): unknown {
  return read(model, shapeOf(model, ref), node, path);
}

function read(model: ServiceModel, shape: Shape, node: XmlNode, path: string): unknown {
  switch (shape.type) {
    case 'structure':
      return readStructure(model, shape, node, path);
    case 'list': {
      const member = shape.member!;
      const items = children(node, member.locationName ?? 'member');
      return items.map((item, index) => read(model, shapeOf(model, member), item, `${path}.${index + 1}`));
    }
    case 'map': {
      const [keyRef, valueRef] = [shape.key!, shape.value!];
      return Object.fromEntries(
        children(node, 'entry').map((entry, index) => [
          text(children(entry, keyRef.locationName ?? 'key')[0] ?? '', `${path}.${index + 1}.key`),
          read(
            model,
            shapeOf(model, valueRef),
            children(entry, valueRef.locationName ?? 'value')[0] ?? '',
            path,
          ),
        ]),
      );
    }
    default:
      return scalar(shape, text(node, path), path);
  }
}

function readStructure(model: ServiceModel, shape: Shape, node: XmlNode, path: string) {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of bodyMembers(shape)) {
    const memberShape = shapeOf(model, ref);
    const found = children(node, elementName(model, name, ref));
    if (found.length === 0) continue;
    const memberPath = `${path}.${name}`;
    out[name] =
      memberShape.type === 'list' && memberShape.flattened
        ? found.map((item, index) =>
            read(model, shapeOf(model, memberShape.member!), item, `${memberPath}.${index + 1}`),
          )
        : read(model, memberShape, found[0]!, memberPath);
  }
  return out;
}

function children(node: XmlNode, name: string): XmlNode[] {
  if (typeof node === 'string') return [];
  return node[name] ?? [];
}

function text(node: XmlNode, path: string): string {
  if (typeof node === 'string') return node;
  throw malformed(`${path} must be text, not elements`);
}

function scalar(shape: Shape, value: string, path: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long':
      if (!/^-?\d+$/.test(value.trim())) throw malformed(`${path} must be an integer, got "${value}"`);
      return Number(value);
    case 'float':
    case 'double': {
      const number = Number(value);
      if (value.trim() === '' || Number.isNaN(number))
        throw malformed(`${path} must be a number, got "${value}"`);
      return number;
    }
    case 'boolean':
      if (value.trim() !== 'true' && value.trim() !== 'false')
        throw malformed(`${path} must be true or false, got "${value}"`);
      return value.trim() === 'true';
    case 'timestamp': {
      const date = parseTimestamp(value.trim());
      if (!date) throw malformed(`${path} must be a timestamp, got "${value}"`);
      return date;
    }
    case 'blob':
      return Buffer.from(value, 'base64');
    default:
      return value;
  }
}
