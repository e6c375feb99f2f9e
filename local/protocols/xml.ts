import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

import { AwsError } from '../core/errors';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});

/** Serializes a builder object (`@_attr` keys are attributes, arrays repeat the element) with the XML prolog. */
export function buildXml(document: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(document) as string}`;
}

/** An element's content: its text, or its child elements by name (every name a list, in document order). */
export type XmlNode = string | { readonly [name: string]: XmlNode[] };

// Values stay text (an S3 key "007" must not become 7) and keep their spaces (" a " is a different key).
const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
  isArray: () => true,
});

/**
 * Parses a request body whose root element must be `root`, returning the root's content. A body that is not
 * well-formed XML (a truncated upload, say) or has another root is refused as a whole with MalformedXML,
 * before anything acts on it.
 */
export function parseXmlDocument(text: string, root: string): XmlNode {
  const valid = text.trim() !== '' && XMLValidator.validate(text);
  if (valid !== true) {
    const reason = valid === false ? 'the body is empty' : `${valid.err.msg} (line ${valid.err.line})`;
    throw malformedXml(reason);
  }
  const parsed = parser.parse(text) as Record<string, XmlNode[]>;
  const names = Object.keys(parsed).filter((name) => name !== '#text');
  if (names.length !== 1 || names[0] !== root) {
    throw malformedXml(`expected the root element <${root}>, found <${names.join('>, <')}>`);
  }
  const content = parsed[root]![0]!;
  return typeof content === 'string' ? withoutText(content) : content;
}

/** Whitespace between elements is not content: `<Delete> </Delete>` is an empty structure. */
function withoutText(content: string): XmlNode {
  return content.trim() === '' ? {} : content;
}

export function malformedXml(reason: string): AwsError {
  return new AwsError(
    'MalformedXML',
    `The XML you provided was not well-formed or did not validate against our published schema: ${reason}`,
  );
}
