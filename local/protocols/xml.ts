import { XMLBuilder, XMLParser } from 'fast-xml-parser';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});

/** Serializes a builder object (`@_attr` keys are attributes, arrays repeat the element) with the XML prolog. */
export function buildXml(document: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(document) as string}`;
}

/**
 * Parses a request body. Values stay strings (an S3 key "007" must not become 7); `arrays` names the
 * elements that are lists even when they occur once.
 */
export function parseXml(text: string, arrays: readonly string[] = []): Record<string, unknown> {
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => arrays.includes(name),
  });
  return parser.parse(text) as Record<string, unknown>;
}

/** A plain value in the shape XMLBuilder expects: Dates as ISO 8601, undefined members dropped. */
export function xmlValue(value: unknown, listMember?: string): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    if (!listMember) return value.map((item) => xmlValue(item));
    return value.length === 0 ? '' : { [listMember]: value.map((item) => xmlValue(item, listMember)) };
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, member]) => member !== undefined,
    );
    return Object.fromEntries(entries.map(([name, member]) => [name, xmlValue(member, listMember)]));
  }
  return value;
}
