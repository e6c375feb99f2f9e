import { templateFormatError } from '../errors';
import { checkResourceTypes } from './resource-types';
import type { Template } from './types';
import { parseTemplateBody } from './yaml';

const SECTIONS = [
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Transform',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Resources',
  'Outputs',
] as const;

/** Parses a template body and checks its structure; sections left out come back empty. */
export function loadTemplate(body: string): Template {
  const raw = parseTemplateBody(body);
  if (!isObject(raw)) throw templateFormatError('the template must be a JSON or YAML object');
  const unknown = Object.keys(raw).filter((key) => !(SECTIONS as readonly string[]).includes(key));
  if (unknown.length > 0)
    throw templateFormatError(`Invalid template property or properties [${unknown.join(', ')}]`);
  if (raw.Transform !== undefined) {
    throw templateFormatError(
      `Transform ${JSON.stringify(raw.Transform)} is not supported by the local AWS; deploy a processed template`,
    );
  }
  const template = {
    ...raw,
    Parameters: section(raw, 'Parameters'),
    Rules: section(raw, 'Rules'),
    Mappings: section(raw, 'Mappings'),
    Conditions: section(raw, 'Conditions'),
    Resources: section(raw, 'Resources'),
    Outputs: section(raw, 'Outputs'),
  } as Template;
  checkMembers(template);
  checkResourceTypes(template);
  return template;
}

function section(raw: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = raw[name];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw templateFormatError(`${name} must be an object, got ${JSON.stringify(value)}`);
  return value;
}

function checkMembers(template: Template): void {
  if (Object.keys(template.Resources).length === 0) {
    throw templateFormatError('At least one Resources member must be defined.');
  }
  for (const [name, resource] of Object.entries(template.Resources)) {
    if (!isObject(resource) || typeof resource.Type !== 'string') {
      throw templateFormatError(`[/Resources/${name}] Every Resources object must contain a Type member.`);
    }
    if (resource.Properties !== undefined && !isObject(resource.Properties)) {
      throw templateFormatError(`[/Resources/${name}/Properties] must be an object`);
    }
  }
  for (const [name, parameter] of Object.entries(template.Parameters)) {
    if (!isObject(parameter) || typeof parameter.Type !== 'string') {
      throw templateFormatError(`[/Parameters/${name}] Every Parameters object must contain a Type member.`);
    }
  }
  for (const [name, output] of Object.entries(template.Outputs)) {
    if (!isObject(output) || output.Value === undefined) {
      throw templateFormatError(`[/Outputs/${name}] Every Outputs member must contain a Value object`);
    }
  }
  for (const [name, rule] of Object.entries(template.Rules)) {
    if (!isObject(rule) || !Array.isArray(rule.Assertions)) {
      throw templateFormatError(`[/Rules/${name}] Every Rules member must contain an Assertions list`);
    }
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
