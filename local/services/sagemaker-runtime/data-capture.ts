import { randomUUID } from 'node:crypto';

import type { DataCaptureConfig } from '@aws-sdk/client-sagemaker';

import type { ObjectStoreApi } from '../../core/deps';
import { parseS3Uri } from '../../runtimes/s3-staging';

/** One invocation as the endpoint saw it: what came in, what went out, and when. */
export interface CapturedInvocation {
  readonly endpointName: string;
  readonly variantName: string;
  readonly config: DataCaptureConfig;
  readonly input: { readonly body: Buffer; readonly contentType?: string | undefined };
  readonly output: { readonly body: Buffer | string; readonly contentType?: string | undefined };
  readonly inferenceId?: string | undefined;
  readonly time: Date;
}

/** A capture record, SageMaker's JSON Lines format (eventVersion "0"). */
export interface CaptureRecord {
  readonly captureData: {
    readonly endpointInput?: CapturedPayload;
    readonly endpointOutput?: CapturedPayload;
  };
  readonly eventMetadata: {
    readonly eventId: string;
    readonly inferenceId?: string;
    readonly inferenceTime: string;
  };
  readonly eventVersion: '0';
}

export interface CapturedPayload {
  readonly observedContentType: string;
  readonly mode: 'INPUT' | 'OUTPUT';
  readonly data: string;
  readonly encoding: 'CSV' | 'JSON' | 'BASE64';
}

export interface DataCaptureOptions {
  readonly objects: ObjectStoreApi;
  /** How long records wait in memory before they are written (default 1 s). */
  readonly flushIntervalMs?: number;
  /** A batch this large is written at once (default 1000 records). */
  readonly maxBatchRecords?: number;
  /** [0, 100) draws for InitialSamplingPercentage; injectable so tests can pin the sampling. */
  readonly random?: () => number;
}

const DEFAULT_FLUSH_MS = 1000;
const DEFAULT_BATCH = 1000;
const UNKNOWN_CONTENT_TYPE = 'application/octet-stream';

/**
 * Data capture of the local endpoints, as SageMaker writes it: sampled per request, batched in memory and
 * written off the request path to `{DestinationS3Uri}/{EndpointName}/{VariantName}/yyyy/mm/dd/hh/
 * {mm}-{ss}-{mmm}-{uuid}.jsonl`, one file per batch and hour. `flush()` (also at shutdown) writes what waits.
 */
export class DataCapture {
  private readonly batches = new Map<string, { readonly first: Date; readonly lines: string[] }>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly random: () => number;

  constructor(private readonly options: DataCaptureOptions) {
    this.random = options.random ?? (() => Math.random() * 100);
  }

  /** Queues an invocation when the config captures it (enabled, sampled in); never blocks the caller. */
  record(invocation: CapturedInvocation): void {
    const record = captureRecord(invocation, this.random);
    if (!record) return;
    const key = `${batchPrefix(invocation)}`;
    const batch = this.batches.get(key) ?? { first: invocation.time, lines: [] };
    batch.lines.push(JSON.stringify(record));
    this.batches.set(key, batch);
    if (batch.lines.length >= (this.options.maxBatchRecords ?? DEFAULT_BATCH)) void this.flush();
    else
      this.timer ??= setTimeout(
        () => void this.flush(),
        this.options.flushIntervalMs ?? DEFAULT_FLUSH_MS,
      ).unref();
  }

  /** Writes every waiting batch; resolves when they (and earlier writes) are in S3. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.batches.entries()];
    this.batches.clear();
    this.writing = this.writing.then(() =>
      Promise.all(batches.map(([prefix, batch]) => this.write(prefix, batch))).then(() => undefined),
    );
    return this.writing;
  }

  private async write(prefix: string, batch: { first: Date; lines: string[] }): Promise<void> {
    const { bucket, key } = parseS3Uri(
      `${prefix}/${fileName(batch.first)}`,
      'DataCaptureConfig.DestinationS3Uri',
    );
    try {
      this.options.objects.createBucket(bucket);
      await this.options.objects.putObject({
        bucket,
        key,
        body: `${batch.lines.join('\n')}\n`,
        contentType: 'application/jsonl',
      });
    } catch (error) {
      // Capture never fails an invocation; the endpoint log is where SageMaker reports it, here stderr.
      process.stderr.write(
        `data capture: could not write s3://${bucket}/${key}: ${(error as Error).message}\n`,
      );
    }
  }
}

/** The capture record of an invocation, or undefined when capture is off or the request is sampled out. */
export function captureRecord(
  invocation: CapturedInvocation,
  random: () => number,
): CaptureRecord | undefined {
  const { config } = invocation;
  if (config.EnableCapture === false || !config.DestinationS3Uri) return undefined;
  if (random() >= (config.InitialSamplingPercentage ?? 0)) return undefined;
  const modes = new Set((config.CaptureOptions ?? []).map((option) => option.CaptureMode));
  const input = modes.has('Input') || modes.has('InputAndOutput');
  const output = modes.has('Output') || modes.has('InputAndOutput');
  return {
    captureData: {
      ...(input ? { endpointInput: payload(invocation.input, 'INPUT', config) } : {}),
      ...(output ? { endpointOutput: payload(invocation.output, 'OUTPUT', config) } : {}),
    },
    eventMetadata: {
      eventId: randomUUID(),
      ...(invocation.inferenceId ? { inferenceId: invocation.inferenceId } : {}),
      inferenceTime: invocation.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    eventVersion: '0',
  };
}

function payload(
  body: { readonly body: Buffer | string; readonly contentType?: string | undefined },
  mode: CapturedPayload['mode'],
  config: DataCaptureConfig,
): CapturedPayload {
  const observedContentType = body.contentType ?? UNKNOWN_CONTENT_TYPE;
  const encoding = encodingFor(observedContentType, config);
  const bytes = Buffer.isBuffer(body.body) ? body.body : Buffer.from(body.body);
  return {
    observedContentType,
    mode,
    data: encoding === 'BASE64' ? bytes.toString('base64') : bytes.toString('utf8'),
    encoding,
  };
}

/** CSV or JSON when CaptureContentTypeHeader lists the content type, else BASE64 (SageMaker's default). */
function encodingFor(contentType: string, config: DataCaptureConfig): CapturedPayload['encoding'] {
  const mediaType = (value: string) => value.split(';')[0]?.trim().toLowerCase() ?? '';
  const observed = mediaType(contentType);
  const header = config.CaptureContentTypeHeader;
  if (header?.CsvContentTypes?.some((type) => mediaType(type) === observed)) return 'CSV';
  if (header?.JsonContentTypes?.some((type) => mediaType(type) === observed)) return 'JSON';
  return 'BASE64';
}

/** `{DestinationS3Uri}/{EndpointName}/{VariantName}/yyyy/mm/dd/hh` of an invocation (UTC). */
function batchPrefix(invocation: CapturedInvocation): string {
  const destination = (invocation.config.DestinationS3Uri ?? '').replace(/\/+$/, '');
  const iso = invocation.time.toISOString();
  const [date = '', time = ''] = iso.split('T');
  const hour = time.slice(0, 2);
  return `${destination}/${invocation.endpointName}/${invocation.variantName}/${date.replaceAll('-', '/')}/${hour}`;
}

/** `{mm}-{ss}-{mmm}-{uuid}.jsonl` for a batch whose first record came at `time`. */
function fileName(time: Date): string {
  const iso = time.toISOString();
  const minutes = iso.slice(14, 16);
  const seconds = iso.slice(17, 19);
  const millis = iso.slice(20, 23);
  return `${minutes}-${seconds}-${millis}-${randomUUID()}.jsonl`;
}
