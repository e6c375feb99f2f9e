import type { ParameterDefinition, ParameterType } from './definition';

/** A pipeline parameter's value for one execution: typed for expressions, as text for the API. */
export interface ParameterValue {
  readonly name: string;
  readonly type: ParameterType;
  readonly value: string | number | boolean;
  readonly text: string;
}

export interface SuppliedParameter {
  readonly Name: string;
  readonly Value: string;
}

/**
 * The execution's parameter values: values passed to StartPipelineExecution (always strings on the wire)
 * over the definition's defaults, converted to the declared type.
 */
export function resolveParameters(
  definitions: readonly ParameterDefinition[],
  supplied: readonly SuppliedParameter[],
): ParameterValue[] {
  const given = new Map(supplied.map((parameter) => [parameter.Name, parameter.Value]));
  const unknown = supplied.filter((parameter) => !definitions.some((def) => def.Name === parameter.Name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown pipeline parameter(s) ${unknown.map((p) => p.Name).join(', ')}; the definition declares: ${
        definitions.map((def) => def.Name).join(', ') || '(none)'
      }`,
    );
  }
  return definitions.map((definition) => {
    const raw = given.get(definition.Name) ?? defaultText(definition);
    return { name: definition.Name, type: definition.Type, value: convert(definition, raw), text: raw };
  });
}

function defaultText(definition: ParameterDefinition): string {
  const value = definition.DefaultValue;
  if (value === undefined || value === null) {
    throw new Error(`pipeline parameter ${definition.Name} has no default value; pass a value for it`);
  }
  if (typeof value === 'number' && definition.Type === 'Float') return formatFloat(value);
  return String(value);
}

function convert(definition: ParameterDefinition, raw: string): string | number | boolean {
  const fail = (expected: string) =>
    new Error(
      `pipeline parameter ${definition.Name} (${definition.Type}) got '${raw}'; expected ${expected}`,
    );
  switch (definition.Type) {
    case 'Integer':
      if (!/^[-+]?\d+$/.test(raw.trim())) throw fail('an integer');
      return Number(raw);
    case 'Float': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) throw fail('a number');
      return value;
    }
    case 'Boolean':
      if (!/^(true|false)$/i.test(raw.trim())) throw fail('true or false');
      return raw.trim().toLowerCase() === 'true';
    default:
      if (definition.EnumValues && !definition.EnumValues.includes(raw)) {
        throw fail(`one of ${definition.EnumValues.join(', ')}`);
      }
      return raw;
  }
}

/** Floats print the way the service prints them (Java style: 6.0, not 6). */
export function formatFloat(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
