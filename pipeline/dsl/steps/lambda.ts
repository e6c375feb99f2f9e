import type { Value } from '../expressions';
import { buildProperties, LAMBDA_PROPERTIES, type PropertiesOf } from '../properties';
import { Step, type CacheOptions, type StepOptions } from '../step';
import type { OutputParameterType } from '../wire';

export interface LambdaOutputParameter<Name extends string> {
  readonly name: Name;
  readonly type: OutputParameterType;
}

export interface LambdaStepProps<Outputs extends string> extends StepOptions, CacheOptions {
  readonly functionArn: Value<string>;
  /** The event the function receives. */
  readonly arguments?: Readonly<Record<string, Value>>;
  /** Members of the function's JSON response that later steps read as `properties.OutputParameters.<name>`. */
  readonly outputParameters?: readonly LambdaOutputParameter<Outputs>[];
}

export type LambdaProperties<Outputs extends string> = PropertiesOf<typeof LAMBDA_PROPERTIES, Outputs>;

/** Invokes a Lambda function synchronously with `arguments` as the event. */
export class LambdaStep<Outputs extends string = never> extends Step<LambdaProperties<Outputs>> {
  readonly type = 'Lambda';
  readonly properties: LambdaProperties<Outputs>;
  private readonly props: LambdaStepProps<Outputs>;

  constructor(name: string, props: LambdaStepProps<Outputs>) {
    super(name, props);
    this.props = props;
    const outputs = (props.outputParameters ?? []).map((output) => output.name);
    this.properties = buildProperties(this, LAMBDA_PROPERTIES, outputs);
  }

  protected arguments(): unknown {
    return this.props.arguments ?? {};
  }

  protected override extraMembers(): Readonly<Record<string, unknown>> {
    const outputs = this.props.outputParameters ?? [];
    return {
      FunctionArn: this.props.functionArn,
      ...(outputs.length > 0 && {
        OutputParameters: outputs.map((output) => ({ OutputName: output.name, OutputType: output.type })),
      }),
    };
  }
}
