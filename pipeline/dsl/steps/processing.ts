import type {
  CreateProcessingJobRequest,
  ProcessingInput,
  ProcessingOutput,
  ProcessingOutputConfig,
} from '@aws-sdk/client-sagemaker';

import type { Value } from '../expressions';
import type { Pipelined } from '../pipelined';
import { buildProperties, PROCESSING_PROPERTIES, type PropertiesOf } from '../properties';
import { PropertyFile } from '../property-file';
import { Step, type CacheOptions, type RetryOptions, type StepOptions } from '../step';

export type ProcessingOutputArgument<Name extends string = string> = Pipelined<
  Omit<ProcessingOutput, 'OutputName'>
> & {
  readonly OutputName: Name;
};

/** CreateProcessingJob minus ProcessingJobName; output names are literal so properties can be typed by them. */
export type ProcessingArguments<Outputs extends string = string> = Pipelined<
  Omit<CreateProcessingJobRequest, 'ProcessingJobName' | 'ProcessingOutputConfig'>
> & {
  readonly ProcessingOutputConfig?: Pipelined<Omit<ProcessingOutputConfig, 'Outputs'>> & {
    readonly Outputs: readonly ProcessingOutputArgument<Outputs>[];
  };
};

export interface PropertyFileDeclaration<Files extends string, Outputs extends string> {
  readonly name: Files;
  /** The processing output the file is written to. */
  readonly outputName: NoInfer<Outputs>;
  /** The file's path inside that output, e.g. `evaluation.json`. */
  readonly filePath: string;
}

export interface ProcessingStepProps<Outputs extends string, Files extends string>
  extends StepOptions, RetryOptions, CacheOptions {
  readonly arguments: ProcessingArguments<Outputs>;
  readonly propertyFiles?: readonly PropertyFileDeclaration<Files, Outputs>[];
}

export type ProcessingProperties<Outputs extends string> = PropertiesOf<
  typeof PROCESSING_PROPERTIES,
  Outputs
>;

/** A processing job; `properties.ProcessingOutputConfig.Outputs.<name>` exists for each declared output. */
export class ProcessingStep<Outputs extends string = string, Files extends string = never> extends Step<
  ProcessingProperties<Outputs>
> {
  readonly type = 'Processing';
  readonly properties: ProcessingProperties<Outputs>;
  readonly propertyFiles: { readonly [F in Files]: PropertyFile };
  private readonly args: ProcessingArguments<Outputs>;

  constructor(name: string, props: ProcessingStepProps<Outputs, Files>) {
    super(name, props);
    this.args = props.arguments;
    const outputs = (props.arguments.ProcessingOutputConfig?.Outputs ?? []).map(
      (output) => output.OutputName,
    );
    this.properties = buildProperties(this, PROCESSING_PROPERTIES, outputs);
    this.propertyFiles = this.declarePropertyFiles(props.propertyFiles ?? [], outputs);
  }

  protected arguments(): unknown {
    return this.args;
  }

  protected override extraMembers(): Readonly<Record<string, unknown>> {
    const files = Object.values(this.propertyFiles as Readonly<Record<string, PropertyFile>>);
    return files.length > 0 ? { PropertyFiles: files.map((file) => file.toDefinition()) } : {};
  }

  private declarePropertyFiles(
    declarations: readonly PropertyFileDeclaration<Files, Outputs>[],
    outputs: readonly string[],
  ): { readonly [F in Files]: PropertyFile } {
    const files = declarations.map(({ name, outputName, filePath }) => {
      if (!outputs.includes(outputName)) {
        throw new Error(
          `step ${this.name}: property file ${name} names output ${JSON.stringify(outputName)}, but the step's outputs are ${JSON.stringify(outputs)}`,
        );
      }
      return [name, new PropertyFile(this, name, outputName, filePath)] as const;
    });
    return Object.fromEntries(files) as { readonly [F in Files]: PropertyFile };
  }
}

export interface ProcessingInputSpec {
  readonly name: string;
  /** S3 URI of an object or prefix. */
  readonly source: Value<string>;
  /** Where the container sees it; must start with /opt/ml/processing/. */
  readonly destination: string;
}

/** An S3 input in the SDK's default form (S3Prefix, File mode, fully replicated). */
export function processingInput(spec: ProcessingInputSpec): Pipelined<ProcessingInput> {
  return {
    InputName: spec.name,
    AppManaged: false,
    S3Input: {
      S3Uri: spec.source,
      LocalPath: spec.destination,
      S3DataType: 'S3Prefix',
      S3InputMode: 'File',
      S3DataDistributionType: 'FullyReplicated',
      S3CompressionType: 'None',
    },
  };
}

export interface ProcessingOutputSpec<Name extends string> {
  readonly name: Name;
  /** The folder the container writes; must start with /opt/ml/processing/. */
  readonly source: string;
  readonly destination: Value<string>;
}

/** An S3 output uploaded when the job ends (the SDK's default form). */
export function processingOutput<const Name extends string>(
  spec: ProcessingOutputSpec<Name>,
): ProcessingOutputArgument<Name> {
  return {
    OutputName: spec.name,
    AppManaged: false,
    S3Output: { S3Uri: spec.destination, LocalPath: spec.source, S3UploadMode: 'EndOfJob' },
  };
}
