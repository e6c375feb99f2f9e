import { Expression } from './expressions';
import { assertParameterName } from './names';
import type { GetExpression, ParameterDefinition, ParameterType, Primitive } from './wire';

/** A pipeline parameter: declared once in the definition, read wherever it is used (`{"Get": "Parameters.X"}`). */
export class Parameter<T extends Primitive = Primitive> extends Expression<T> {
  constructor(
    readonly name: string,
    readonly type: ParameterType,
    readonly defaultValue: T | undefined,
    readonly enumValues?: readonly string[],
  ) {
    super();
    assertParameterName(name);
  }

  toWire(): GetExpression {
    return { Get: `Parameters.${this.name}` };
  }

  toDefinition(): ParameterDefinition {
    return {
      Name: this.name,
      Type: this.type,
      ...(this.defaultValue !== undefined && { DefaultValue: this.defaultValue }),
      ...(this.enumValues && { EnumValues: this.enumValues }),
    };
  }
}

export interface StringParameterOptions<V extends string> {
  readonly default?: V;
  /** The only values an execution may pass; the default must be one of them. */
  readonly enumValues?: readonly V[];
}

/** Builders for the four parameter types, e.g. `parameter.float('RmseThreshold', 3.0)`. */
export const parameter = {
  string<V extends string = string>(
    name: string,
    options: StringParameterOptions<V> = {},
  ): Parameter<string> {
    const { default: defaultValue, enumValues } = options;
    if (enumValues && defaultValue !== undefined && !enumValues.includes(defaultValue)) {
      throw new Error(
        `parameter ${name}: default ${JSON.stringify(defaultValue)} is not one of its EnumValues ${JSON.stringify(enumValues)}`,
      );
    }
    return new Parameter<string>(name, 'String', defaultValue, enumValues);
  },

  integer(name: string, defaultValue?: number): Parameter<number> {
    if (defaultValue !== undefined && !Number.isInteger(defaultValue)) {
      throw new Error(`parameter ${name}: default ${defaultValue} is not an integer`);
    }
    return new Parameter<number>(name, 'Integer', defaultValue);
  },

  float(name: string, defaultValue?: number): Parameter<number> {
    if (defaultValue !== undefined && !Number.isFinite(defaultValue)) {
      throw new Error(`parameter ${name}: default ${defaultValue} is not a finite number`);
    }
    return new Parameter<number>(name, 'Float', defaultValue);
  },

  boolean(name: string, defaultValue?: boolean): Parameter<boolean> {
    return new Parameter<boolean>(name, 'Boolean', defaultValue);
  },
};
