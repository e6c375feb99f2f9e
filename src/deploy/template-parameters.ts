import type { Parameter } from '@aws-sdk/client-cloudformation';
import { parse } from 'yaml';

import type { TemplateFile } from './template';

/** Parameter name → value as CloudFormation receives it (always a string; lists joined with commas). */
export type ParameterValues = Readonly<Record<string, string>>;

/**
 * Reads parameter values from YAML or JSON: a map (`Name: value`) or CloudFormation's own list
 * (`[{"ParameterKey": ..., "ParameterValue": ...}]`). Values are taken whole, so commas and spaces inside
 * a value are safe; a list value becomes a CommaDelimitedList string. `source` names the input or file.
 */
export function parseParameterValues(text: string, source: string): ParameterValues {
  if (text.trim() === '') return {};
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
  if (Array.isArray(document)) return fromParameterList(document, source);
  if (typeof document !== 'object' || document === null) {
    throw new Error(
      `${source} must be a map of parameter names to values (YAML or JSON); got ${JSON.stringify(document)}`,
    );
  }
  return Object.fromEntries(
    Object.entries(document).map(([name, value]) => [name, parameterString(value, `${source}: ${name}`)]),
  );
}

function fromParameterList(list: readonly unknown[], source: string): ParameterValues {
  return Object.fromEntries(
    list.map((entry, index) => {
      const record = entry as { ParameterKey?: unknown; ParameterValue?: unknown } | null;
      if (typeof record?.ParameterKey !== 'string') {
        throw new Error(
          `${source}[${index}] must have a ParameterKey and a ParameterValue; got ${JSON.stringify(entry)}`,
        );
      }
      return [
        record.ParameterKey,
        parameterString(record.ParameterValue, `${source}: ${record.ParameterKey}`),
      ];
    }),
  );
}

function parameterString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((entry) => ['string', 'number', 'boolean'].includes(typeof entry)))
    return value.join(',');
  throw new Error(
    `${where} must be a string, number, boolean or a list of them; got ${JSON.stringify(value)}`,
  );
}

/**
 * The Parameters of a change set: the given values, checked against the template (unknown names are
 * rejected before any call); on an update, declared parameters without a value keep their previous
 * value. Parameters with a default that are not given are left out, so CloudFormation applies the
 * default — this is how CDK's BootstrapVersion (an SSM parameter type) resolves.
 */
export function planParameters(
  template: TemplateFile,
  values: ParameterValues,
  stackExists: boolean,
): Parameter[] {
  checkParameterNames(template, values);
  const missing: string[] = [];
  const parameters: Parameter[] = [];
  for (const [name, declaration] of template.parameters) {
    const value = values[name];
    if (value !== undefined) parameters.push({ ParameterKey: name, ParameterValue: value });
    else if (stackExists && !declaration.hasDefault)
      parameters.push({ ParameterKey: name, UsePreviousValue: true });
    else if (!declaration.hasDefault) missing.push(name);
  }
  if (missing.length > 0) {
    throw new Error(
      `parameter ${missing.join(', ')} of ${template.path} has no default; pass a value in parameters`,
    );
  }
  return parameters;
}

/** Rejects values for parameters the template does not declare (CloudFormation would, after a round trip). */
export function checkParameterNames(template: TemplateFile, values: ParameterValues): void {
  const declared = [...template.parameters.keys()];
  const unknown = Object.keys(values).filter((name) => !template.parameters.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `parameter ${unknown.join(', ')} is not declared by ${template.path}; it declares ${declared.length > 0 ? declared.join(', ') : 'no parameters'}`,
    );
  }
}
