import { parseDocument, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';

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

/**
 * Parses a template body: JSON, or YAML with the CloudFormation short forms (`!Ref`, `!GetAtt a.b`, `!Sub`...).
 * YAML's core schema keeps `2010-09-09` a string, as CloudFormation reads it.
 */
export function parseTemplateBody(body: string): unknown {
  if (/^\s*\{/.test(body)) {
    try {
      return JSON.parse(body) as unknown;
    } catch (error) {
      throw templateFormatError(`JSON not well-formed: ${(error as Error).message}`);
    }
  }
  const doc = parseDocument(body, { customTags, uniqueKeys: true });
  const problem = doc.errors[0] ?? doc.warnings.find((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  if (problem) throw templateFormatError(`YAML not well-formed: ${problem.message.split('\n')[0]}`);
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}
