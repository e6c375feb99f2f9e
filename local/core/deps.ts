import type { Readable } from 'node:stream';

/**
 * In-process access from one provider to the core services (e.g. a SageMaker job staging its inputs from
 * S3, a pipeline's Lambda step). Errors are the same AwsErrors the wire API answers with. Providers never
 * call each other's operations: services another provider works on are injected by the wiring
 * (local/services/registry.ts), typed.
 */
export interface ServiceDeps {
  readonly s3: ObjectStoreApi;
  readonly ssm: ParameterStoreApi;
  readonly lambda: FunctionInvoker;
}

export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
}

export interface ObjectInfo extends ObjectRef {
  readonly size: number;
  /** MD5 of the body in quotes (multipart: MD5 of the part MD5s, `-<parts>`), as S3 answers. */
  readonly etag: string;
  readonly lastModified: Date;
  readonly contentType?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface PutObjectRequest extends ObjectRef {
  /** The body; or pass `file` to copy a file from disk (streamed, never held in memory). */
  readonly body?: Buffer | string | Readable;
  readonly file?: string;
  readonly contentType?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface ListObjectsRequest {
  readonly bucket: string;
  readonly prefix?: string;
  readonly delimiter?: string;
  /** Return only keys after this one (S3's StartAfter / continuation token / Marker). */
  readonly startAfter?: string;
  readonly maxKeys?: number;
}

export interface ListObjectsResult {
  readonly objects: readonly ObjectInfo[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  /** Where the page ended (the last key, or the last key under the last common prefix): pass it as `startAfter` to continue. */
  readonly lastKey?: string;
}

/** The local S3's object store. Bodies live as files under the state dir. */
export interface ObjectStoreApi {
  /** Creates the bucket if it does not exist (in-process callers need no BucketAlreadyOwnedByYou dance). */
  createBucket(bucket: string): void;
  bucketExists(bucket: string): boolean;
  putObject(request: PutObjectRequest): Promise<ObjectInfo>;
  /** The whole body in memory: for small objects (reports, JSON). Use `downloadTo` for large ones. */
  getObject(ref: ObjectRef): Promise<Buffer>;
  headObject(ref: ObjectRef): ObjectInfo;
  listObjects(request: ListObjectsRequest): ListObjectsResult;
  /** Every object under a prefix, all pages. */
  listAll(bucket: string, prefix?: string): ObjectInfo[];
  deleteObject(ref: ObjectRef): void;
  /** The file holding the object's body: read it, never modify it (it is the stored object). */
  localPath(ref: ObjectRef): string;
  /** Copies the object's body to `file` (folders created). */
  downloadTo(ref: ObjectRef & { readonly file: string }): Promise<void>;
}

export interface StoredParameter {
  readonly Name: string;
  readonly Type: 'String' | 'StringList' | 'SecureString';
  readonly Value: string;
  readonly Version: number;
  readonly LastModifiedDate: Date;
  readonly ARN: string;
  readonly DataType: string;
}

export interface PutParameterRequest {
  readonly Name: string;
  readonly Value: string;
  readonly Type?: 'String' | 'StringList' | 'SecureString';
  readonly Overwrite?: boolean;
  readonly Description?: string;
  readonly DataType?: string;
  readonly Tags?: readonly { Key: string; Value: string }[];
}

/** The local SSM Parameter Store. */
export interface ParameterStoreApi {
  /** `name` or `name:version`; throws ParameterNotFound / ParameterVersionNotFound. */
  getParameter(name: string): StoredParameter;
  putParameter(request: PutParameterRequest): { Version: number; Tier: string };
}

export interface InvokeRequest {
  /** A function name or its ARN. */
  readonly functionName: string;
  /** A JSON-serializable event, or the raw payload bytes. */
  readonly payload: unknown;
}

export interface InvokeResult {
  /** The handler's return value (parsed JSON), or the AWS error payload `{errorType, errorMessage, trace}`. */
  readonly payload: unknown;
  /** The payload as sent on the wire (JSON text). */
  readonly raw: string;
  /** `Unhandled` when the handler threw or the function crashed. */
  readonly functionError?: string;
}

export interface FunctionInvoker {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  /**
   * Starts the function's worker ahead of its first invocation, as Lambda keeps containers warm; an unknown
   * function is left to the invocation to report.
   */
  prepare(functionName: string): void;
}
