import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The botocore service model (service-2.json, trimmed by scripts/build-models.ts into local/models/): the
 * parts the protocol layer reads. Field names are botocore's.
 */
export interface ServiceModel {
  readonly source: { readonly botocore: string; readonly service: string };
  readonly metadata: ServiceMetadata;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

export interface ServiceMetadata {
  readonly apiVersion: string;
  readonly endpointPrefix: string;
  readonly protocol: 'json' | 'rest-json' | 'rest-xml' | 'query' | 'ec2';
  readonly serviceId: string;
  readonly signingName?: string;
  readonly targetPrefix?: string;
  readonly jsonVersion?: string;
  readonly xmlNamespace?: string;
  readonly timestampFormat?: TimestampFormat;
}

export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

export interface OperationModel {
  readonly name: string;
  readonly http: { readonly method: string; readonly requestUri: string; readonly responseCode?: number };
  readonly input?: ShapeRef;
  readonly output?: ShapeRef;
  readonly errors?: readonly ShapeRef[];
}

/** A reference to a shape, with the member traits botocore puts on references. */
export interface ShapeRef {
  readonly shape: string;
  readonly location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  readonly locationName?: string;
  readonly jsonvalue?: boolean;
  readonly timestampFormat?: TimestampFormat;
  readonly streaming?: boolean;
  readonly eventpayload?: boolean;
  readonly xmlNamespace?: { readonly uri: string };
  readonly xmlAttribute?: boolean;
  readonly flattened?: boolean;
  readonly idempotencyToken?: boolean;
  /** awsQuery error shapes keep a `resultWrapper` on outputs. */
  readonly resultWrapper?: string;
}

export type ShapeType =
  | 'structure'
  | 'list'
  | 'map'
  | 'string'
  | 'integer'
  | 'long'
  | 'float'
  | 'double'
  | 'boolean'
  | 'timestamp'
  | 'blob';

export interface Shape {
  readonly type: ShapeType;
  readonly members?: Readonly<Record<string, ShapeRef>>;
  readonly required?: readonly string[];
  readonly member?: ShapeRef;
  readonly key?: ShapeRef;
  readonly value?: ShapeRef;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly payload?: string;
  readonly timestampFormat?: TimestampFormat;
  readonly streaming?: boolean;
  readonly eventstream?: boolean;
  readonly flattened?: boolean;
  readonly locationName?: string;
  readonly exception?: boolean;
  readonly fault?: boolean;
  readonly error?: {
    readonly code?: string;
    readonly httpStatusCode?: number;
    readonly senderFault?: boolean;
  };
}

const MODELS_DIR = path.join(__dirname, '..', '..', 'models');
const loaded = new Map<string, ServiceModel>();

/** The committed model of a service (its botocore name: `sagemaker`, `sagemaker-runtime`, `ssm`, ...). */
export function loadModel(service: string): ServiceModel {
  let model = loaded.get(service);
  if (!model) {
    const file = path.join(MODELS_DIR, `${service}.json`);
    model = JSON.parse(fs.readFileSync(file, 'utf8')) as ServiceModel;
    loaded.set(service, model);
  }
  return model;
}

/** The services with a committed model. */
export function modelNames(): string[] {
  return fs
    .readdirSync(MODELS_DIR)
    .filter((name) => name.endsWith('.json') && name !== 'operations.json')
    .map((name) => name.slice(0, -'.json'.length));
}

export function shapeOf(model: ServiceModel, ref: ShapeRef | string): Shape {
  const name = typeof ref === 'string' ? ref : ref.shape;
  const shape = model.shapes[name];
  if (!shape) throw new Error(`${model.source.service} model has no shape ${name}`);
  return shape;
}

/** The wire name of a member: `locationName` when the model renames it. */
export function wireName(member: string, ref: ShapeRef): string {
  return ref.locationName ?? member;
}

/** The error shape whose code is `code` (its `error.code` or its name), if the operation's service models it. */
export function errorShape(model: ServiceModel, code: string): Shape | undefined {
  const byName = model.shapes[code];
  if (byName?.exception) return byName;
  return Object.values(model.shapes).find((shape) => shape.exception && shape.error?.code === code);
}
