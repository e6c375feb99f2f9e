import { parseDocument, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';

import { AwsError } from '../../../core/errors';
import { templateFormatError } from '../errors';

/** YAML short forms and the long form each stands for. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  FindInMap: 'Fn::FindInMap',
  Base64: 'Fn::Base64',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Cidr: 'Fn::Cidr',
  Contains: 'Fn::Contains',
  EachMemberEquals: 'Fn::EachMemberEquals',
  EachMemberIn: 'Fn::EachMemberIn',
  RefAll: 'Fn::RefAll',
  ValueOf: 'Fn::ValueOf',
  ValueOfAll: 'Fn::ValueOfAll',
};

/** `!GetAtt Res.Attr` is the one short form whose scalar is not passed through as is. */
function scalarArgument(name: string, value: string): unknown {
  if (name !== 'GetAtt') return value;
  const dot = value.indexOf('.');
  return dot < 0 ? value : [value.slice(0, dot), value.slice(dot + 1)];
}

const customTags = Object.entries(SHORT_FORMS).flatMap(([name, longForm]): (ScalarTag | CollectionTag)[] => [
  { tag: `!${name}`, resolve: (value: string) => ({ [longForm]: scalarArgument(name, value) }) },
  { tag: `!${name}`, collection: 'seq', resolve: (seq) => ({ [longForm]: (seq as YAMLSeq).toJSON() }) },
  { tag: `!${name}`, collection: 'map', resolve: (map) => ({ [longForm]: (map as YAMLMap).toJSON() }) },
]);

/** A template larger than this is refused: CloudFormation takes 1 MB at most (from S3; 51,200 bytes inline). */
export const MAX_TEMPLATE_BYTES = 1024 * 1024;
/** Deeper nesting than any real template: refused before the engine's recursive walks could overflow. */
export const MAX_TEMPLATE_DEPTH = 100;
/** YAML aliases may expand at most this much (an alias bomb grows exponentially otherwise). */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses a template body: JSON, or YAML with the CloudFormation short forms (`!Ref`, `!GetAtt a.b`, `!Sub`...).
 * YAML's core schema keeps `2010-09-09` a string, as CloudFormation reads it. Bounded: size, nesting depth
 * and alias expansion beyond the limits above are a template format error, never a crash.
 */
export function parseTemplateBody(body: string): unknown {
  const bytes = Buffer.byteLength(body);
  if (bytes > MAX_TEMPLATE_BYTES)
    throw templateFormatError(`the template is ${bytes} bytes; at most ${MAX_TEMPLATE_BYTES} are accepted`);
  const value = /^\s*\{/.test(body) ? parseJson(body) : parseYaml(body);
  checkDepth(value);
  return value;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw templateFormatError(`JSON not well-formed: ${(error as Error).message}`);
  }
}

function parseYaml(body: string): unknown {
  try {
    const doc = parseDocument(body, { customTags, uniqueKeys: true });
    const problem = doc.errors[0] ?? doc.warnings.find((warning) => warning.code === 'TAG_RESOLVE_FAILED');
    if (problem) throw templateFormatError(`YAML not well-formed: ${problem.message.split('\n')[0]}`);
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (error) {
    if (error instanceof AwsError) throw error;
    // The yaml library refuses alias bombs with a ReferenceError; a stack overflow means absurd nesting.
    throw templateFormatError(`YAML not accepted: ${(error as Error).message}`);
  }
}

/** Iterative, so a deep document cannot overflow the stack while being measured. */
function checkDepth(root: unknown): void {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_TEMPLATE_DEPTH)
      throw templateFormatError(`the template nests deeper than ${MAX_TEMPLATE_DEPTH} levels`);
    for (const child of Object.values(value)) stack.push({ value: child, depth: depth + 1 });
  }
}
