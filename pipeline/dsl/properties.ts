import { Expression } from './expressions';
import type { Step } from './step';
import type { GetExpression, Primitive } from './wire';

/**
 * A step property read at run time, e.g. `Steps.Train.ModelArtifacts.S3ModelArtifacts`. Step property
 * trees are typed from the shapes below, so a misspelt property does not compile.
 */
export class PropertyRef<T extends Primitive = Primitive> extends Expression<T> {
  constructor(
    readonly step: Step,
    readonly path: string,
  ) {
    super();
  }

  toWire(): GetExpression {
    return { Get: `Steps.${this.step.name}.${this.path}` };
  }

  override referencedSteps(): readonly Step[] {
    return [this.step];
  }
}

/** A list property whose entries are picked by name (`['validation:rmse']`) or position (`[0]`). */
export interface OpenList<Item> {
  get(key: string | number): Item;
}

type Leaf = 'string' | 'number' | 'boolean' | 'primitive';

/** `declared`: entries named by the step itself (processing outputs, Lambda outputs); `open`: any key. */
export interface ListShape<
  Keys extends 'declared' | 'open' = 'declared' | 'open',
  Item extends Shape = Shape,
> {
  readonly kind: 'list';
  readonly keys: Keys;
  readonly item: Item;
}

export type Shape = Leaf | ListShape | { readonly [member: string]: Shape };

const list = <const Keys extends 'declared' | 'open', const Item extends Shape>(
  keys: Keys,
  item: Item,
): ListShape<Keys, Item> => ({ kind: 'list', keys, item });

type LeafType<L extends Leaf> = L extends 'string'
  ? string
  : L extends 'number'
    ? number
    : L extends 'boolean'
      ? boolean
      : Primitive;

/** The typed property tree of a shape; `Names` are the step's declared entry names. */
export type PropertiesOf<S, Names extends string = never> = S extends Leaf
  ? PropertyRef<LeafType<S>>
  : S extends ListShape<'declared', infer Item>
    ? { readonly [N in Names]: PropertiesOf<Item, Names> }
    : S extends ListShape<'open', infer Item>
      ? OpenList<PropertiesOf<Item, Names>>
      : { readonly [M in keyof S]: PropertiesOf<S[M], Names> };

const CONTAINER = { Image: 'string', ModelDataUrl: 'string' } as const;

export const TRAINING_PROPERTIES = {
  TrainingJobName: 'string',
  TrainingJobArn: 'string',
  TrainingJobStatus: 'string',
  SecondaryStatus: 'string',
  FailureReason: 'string',
  ModelArtifacts: { S3ModelArtifacts: 'string' },
  FinalMetricDataList: list('open', { MetricName: 'string', Value: 'number', Timestamp: 'string' }),
  HyperParameters: list('open', 'string'),
  AlgorithmSpecification: { TrainingImage: 'string', AlgorithmName: 'string', TrainingInputMode: 'string' },
  OutputDataConfig: { S3OutputPath: 'string', KmsKeyId: 'string' },
  ResourceConfig: { InstanceType: 'string', InstanceCount: 'number', VolumeSizeInGB: 'number' },
  RoleArn: 'string',
  TrainingTimeInSeconds: 'number',
  BillableTimeInSeconds: 'number',
  CreationTime: 'string',
  TrainingStartTime: 'string',
  TrainingEndTime: 'string',
} as const;

export const PROCESSING_PROPERTIES = {
  ProcessingJobName: 'string',
  ProcessingJobArn: 'string',
  ProcessingJobStatus: 'string',
  ExitMessage: 'string',
  FailureReason: 'string',
  RoleArn: 'string',
  AppSpecification: { ImageUri: 'string' },
  ProcessingResources: {
    ClusterConfig: { InstanceType: 'string', InstanceCount: 'number', VolumeSizeInGB: 'number' },
  },
  ProcessingInputs: list('open', {
    InputName: 'string',
    S3Input: { S3Uri: 'string', LocalPath: 'string' },
  }),
  ProcessingOutputConfig: {
    KmsKeyId: 'string',
    Outputs: list('declared', {
      OutputName: 'string',
      S3Output: { S3Uri: 'string', LocalPath: 'string', S3UploadMode: 'string' },
    }),
  },
  CreationTime: 'string',
  ProcessingStartTime: 'string',
  ProcessingEndTime: 'string',
} as const;

export const MODEL_PROPERTIES = {
  ModelName: 'string',
  ModelArn: 'string',
  ExecutionRoleArn: 'string',
  PrimaryContainer: CONTAINER,
  Containers: list('open', CONTAINER),
  EnableNetworkIsolation: 'boolean',
  CreationTime: 'string',
} as const;

export const REGISTER_MODEL_PROPERTIES = {
  ModelPackageArn: 'string',
  ModelPackageName: 'string',
  ModelPackageGroupName: 'string',
  ModelPackageVersion: 'number',
  ModelPackageDescription: 'string',
  ModelApprovalStatus: 'string',
  ModelPackageStatus: 'string',
  InferenceSpecification: { Containers: list('open', CONTAINER) },
  CreationTime: 'string',
} as const;

export const TRANSFORM_PROPERTIES = {
  TransformJobName: 'string',
  TransformJobArn: 'string',
  TransformJobStatus: 'string',
  FailureReason: 'string',
  ModelName: 'string',
  TransformInput: {
    ContentType: 'string',
    DataSource: { S3DataSource: { S3Uri: 'string', S3DataType: 'string' } },
  },
  TransformOutput: { S3OutputPath: 'string', Accept: 'string', AssembleWith: 'string' },
  TransformResources: { InstanceType: 'string', InstanceCount: 'number' },
  CreationTime: 'string',
  TransformStartTime: 'string',
  TransformEndTime: 'string',
} as const;

/** A Condition step's outcome: "True" or "False". */
export const CONDITION_PROPERTIES = { Outcome: 'string' } as const;

export const LAMBDA_PROPERTIES = { OutputParameters: list('declared', 'primitive') } as const;

export const FAIL_PROPERTIES = {} as const;

/** Builds the property tree of `step` from a shape; `declared` names the step's declared entries. */
export function buildProperties<S extends Shape, Names extends string>(
  step: Step,
  shape: S,
  declared: readonly Names[],
): PropertiesOf<S, Names> {
  return buildNode(step, '', shape, declared) as PropertiesOf<S, Names>;
}

function buildNode(step: Step, path: string, shape: Shape, declared: readonly string[]): unknown {
  if (typeof shape === 'string') return new PropertyRef(step, path);
  if (isListShape(shape)) {
    const entry = (key: string | number) =>
      buildNode(step, `${path}${indexSuffix(key)}`, shape.item, declared);
    if (shape.keys === 'open') return { get: entry };
    return Object.fromEntries(declared.map((name) => [name, entry(name)]));
  }
  return Object.fromEntries(
    Object.entries(shape).map(([member, memberShape]) => [
      member,
      buildNode(step, path ? `${path}.${member}` : member, memberShape, declared),
    ]),
  );
}

function isListShape(shape: Shape): shape is ListShape {
  return typeof shape === 'object' && (shape as Partial<ListShape>).kind === 'list';
}

function indexSuffix(key: string | number): string {
  return typeof key === 'number' ? `[${key}]` : `['${key}']`;
}
