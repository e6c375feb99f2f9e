/** Settings shared by every AWS client the project creates. */
export interface AwsClientOptions {
  /** AWS region; falls back to AWS_REGION / AWS_DEFAULT_REGION, then the SDK's own chain. */
  readonly region?: string;
  /** Endpoint override (the local AWS); falls back to the SDK's AWS_ENDPOINT_URL* handling. */
  readonly endpoint?: string;
  /** Static credentials; when absent the SDK's default provider chain is used. */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Total attempts per call including retries (adaptive mode). Default 8: throttling must not kill a job. */
  readonly maxAttempts?: number;
  /** Appended to the SDK user agent, e.g. `mlops-cli/1.0.0` or `upsert-sagemaker-pipeline/1.0.0`. */
  readonly userAgent?: string;
}

/** The configuration every AWS SDK v3 client constructor accepts and that we set. */
export interface AwsClientConfig {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  retryMode: 'adaptive';
  maxAttempts: number;
  customUserAgent?: string;
  /** Only S3 reads it; other clients ignore it. */
  forcePathStyle: boolean;
}

type ClientClass<T> = new (config: AwsClientConfig) => T;

const DEFAULT_MAX_ATTEMPTS = 8;
const DEFAULT_REGION = 'us-east-1';

export function resolveRegion(explicit?: string): string {
  return explicit ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? DEFAULT_REGION;
}

/** The endpoint override in force, if any (explicit, else AWS_ENDPOINT_URL). */
export function resolveEndpoint(explicit?: string): string | undefined {
  return explicit ?? process.env.AWS_ENDPOINT_URL;
}

export function awsClientConfig(options: AwsClientOptions = {}): AwsClientConfig {
  const endpoint = options.endpoint;
  return {
    region: resolveRegion(options.region),
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    ...(options.userAgent ? { customUserAgent: options.userAgent } : {}),
    // The local AWS listens on an IP address, where virtual-hosted bucket names cannot resolve.
    forcePathStyle: Boolean(resolveEndpoint(endpoint) ?? process.env.AWS_ENDPOINT_URL_S3),
  };
}

/**
 * The one AWS client factory: every module gets its clients here, so region, retries, endpoint override
 * and user agent are the same everywhere. The caller passes the client class, so a bundle loads only the
 * services it uses.
 */
export function createClient<T>(Client: ClientClass<T>, options: AwsClientOptions = {}): T {
  return new Client(awsClientConfig(options));
}
