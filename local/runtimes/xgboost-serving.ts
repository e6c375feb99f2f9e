import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  PayloadError,
  decodeFeatures,
  encodePredictions,
  mediaType,
  type FeatureMatrix,
} from './xgboost-serving-payload';

/** SageMaker's request payload limit (6 MB); the container refuses larger bodies with 413. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

const WORKER_SCRIPT = path.join(__dirname, 'xgboost-serving-worker.py');
/** SageMaker waits this long for /ping to answer. */
const PING_TIMEOUT_MS = 2_000;
const LOAD_TIMEOUT_MS = 60_000;
/** Upper bound of rows per predict call, so one huge batch cannot hold many small requests back. */
const MAX_BATCH_ROWS = 200_000;

/** An invocation as the container's `POST /invocations` receives it. */
export interface InvocationRequest {
  readonly body: Buffer;
  readonly contentType?: string | undefined;
  readonly accept?: string | undefined;
}

export interface InvocationResponse {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

export interface XgboostServingOptions {
  /** The extracted model.tar.gz (holds `xgboost-model`). */
  readonly modelDir: string;
  readonly python: string;
  /** The worker's stderr goes here (the endpoint's log). */
  readonly logFile: string;
}

interface Pending {
  readonly matrix: FeatureMatrix;
  resolve(result: { predictions: Float32Array; width: number }): void;
  reject(error: Error): void;
}

type Frame = { kind: string; payload: Buffer };

/**
 * The sagemaker-xgboost 1.7-1 serving container's contract (`GET /ping`, `POST /invocations`) in-process: one
 * Python worker holds the model; requests that arrive while it predicts are batched into its next call.
 */
export class XgboostServing {
  private worker?: ChildProcessWithoutNullStreams;
  private buffered: Buffer = Buffer.alloc(0);
  private frameWaiters: ((frame: Frame) => void)[] = [];
  private queue: Pending[] = [];
  private inFlight: Pending[] | undefined;
  private flushScheduled = false;
  private pingWaiters: ((healthy: boolean) => void)[] = [];
  private exited?: string;
  private closing = false;
  private drained?: () => void;
  numFeatures = 0;

  constructor(private readonly options: XgboostServingOptions) {}

  /** Starts the worker and waits for the model to load; rejects with the load error. */
  async start(): Promise<void> {
    fs.mkdirSync(path.dirname(this.options.logFile), { recursive: true });
    const log = fs.openSync(this.options.logFile, 'a');
    const worker = spawn(this.options.python, ['-u', WORKER_SCRIPT, this.options.modelDir], {
      stdio: ['pipe', 'pipe', log],
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    }) as unknown as ChildProcessWithoutNullStreams;
    fs.closeSync(log);
    this.worker = worker;
    worker.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    worker.stdin.on('error', () => undefined);
    const exited = new Promise<never>((_, reject) => {
      const end = (reason: string) => {
        this.exited = reason;
        this.failAll(new Error(reason));
        reject(new Error(`${reason}; see ${this.options.logFile}`));
      };
      worker.on('exit', (code, signal) => end(`the serving worker exited (${signal ?? `code ${code}`})`));
      worker.on('error', (error) =>
        end(`the serving worker could not run ${this.options.python}: ${error.message}`),
      );
    });
    exited.catch(() => undefined);
    const first = await Promise.race([
      this.nextFrame(),
      exited,
      timeout(LOAD_TIMEOUT_MS, 'loading the model'),
    ]);
    if (first.kind === 'F') throw new Error(first.payload.toString('utf8'));
    if (first.kind !== 'Y') throw new Error(`unexpected first frame ${first.kind} from the serving worker`);
    this.numFeatures = (JSON.parse(first.payload.toString('utf8')) as { num_features: number }).num_features;
    this.frameWaiters = [];
  }

  /** `GET /ping`: true when the worker answers a health check within 2 s. */
  async ping(): Promise<boolean> {
    if (!this.worker || this.exited) return false;
    const answered = new Promise<boolean>((resolve) => {
      this.pingWaiters.push(resolve);
      this.worker!.stdin.write(Buffer.from('H'));
    });
    return Promise.race([answered, timeout(PING_TIMEOUT_MS, 'ping').catch(() => false)]);
  }

  /** `POST /invocations`. */
  async invocations(request: InvocationRequest): Promise<InvocationResponse> {
    if (request.body.length === 0) return { status: 204, body: '', contentType: 'text/plain' };
    try {
      if (request.body.length > MAX_PAYLOAD_BYTES) {
        throw new PayloadError(
          413,
          `payload of ${request.body.length} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte (6 MB) limit`,
        );
      }
      const accept = mediaType(request.accept, 'Accept');
      const matrix = decodeFeatures(request.body, mediaType(request.contentType, 'Content-Type'));
      if (matrix.cols !== this.numFeatures) {
        throw new PayloadError(
          400,
          `Unable to evaluate payload provided: Feature shape mismatch, expected: ${this.numFeatures}, got ${matrix.cols} (send rows of ${this.numFeatures} features, no label column)`,
        );
      }
      const { predictions, width } = await this.predict(matrix);
      return { status: 200, body: encodePredictions(predictions, width, accept), contentType: accept };
    } catch (error) {
      if (error instanceof PayloadError)
        return { status: error.status, body: error.message, contentType: 'text/plain' };
      return {
        status: 500,
        body: `Unable to evaluate payload provided: ${(error as Error).message}`,
        contentType: 'text/plain',
      };
    }
  }

  /** Stops taking requests, lets those already queued finish, then ends the worker. */
  async stop(): Promise<void> {
    this.closing = true;
    if (this.inFlight || this.queue.length > 0)
      await new Promise<void>((resolve) => (this.drained = resolve));
    const worker = this.worker;
    if (!worker || this.exited) return;
    const gone = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.stdin.end();
    // Still loading the model: nothing to finish.
    if (this.numFeatures === 0) worker.kill('SIGTERM');
    const killer = setTimeout(() => worker.kill('SIGKILL'), 2_000);
    await gone;
    clearTimeout(killer);
  }

  private predict(matrix: FeatureMatrix): Promise<{ predictions: Float32Array; width: number }> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    if (this.worker?.stdin.writableEnded)
      return Promise.reject(new Error('the serving container has stopped'));
    return new Promise((resolve, reject) => {
      this.queue.push({ matrix, resolve, reject });
      if (!this.inFlight && !this.flushScheduled) {
        // Requests parsed in the same turn of the event loop (several sockets readable at once) share a call.
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          if (!this.inFlight) this.flush();
        });
      }
    });
  }

  /** Sends every queued request as one predict call. */
  private flush(): void {
    if (this.queue.length === 0) {
      this.inFlight = undefined;
      if (this.closing) this.drained?.();
      return;
    }
    const batch: Pending[] = [];
    let rows = 0;
    while (
      this.queue.length > 0 &&
      (batch.length === 0 || rows + this.queue[0]!.matrix.rows <= MAX_BATCH_ROWS)
    ) {
      const next = this.queue.shift()!;
      batch.push(next);
      rows += next.matrix.rows;
    }
    this.inFlight = batch;
    const cols = this.numFeatures;
    const header = Buffer.alloc(9);
    header.write('P', 0);
    header.writeUInt32LE(rows, 1);
    header.writeUInt32LE(cols, 5);
    const parts = [
      header,
      ...batch.map((entry) =>
        Buffer.from(entry.matrix.data.buffer, entry.matrix.data.byteOffset, entry.matrix.data.byteLength),
      ),
    ];
    this.worker!.stdin.write(Buffer.concat(parts));
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const frame = this.takeFrame();
      if (!frame) return;
      this.onFrame(frame);
    }
  }

  /** One complete frame off the buffer: `kind u32 [u32] payload` (see xgboost-serving-worker.py). */
  private takeFrame(): Frame | undefined {
    const buffer = this.buffered;
    if (buffer.length < 5) return undefined;
    const kind = String.fromCharCode(buffer[0]!);
    let size: number;
    let start = 5;
    if (kind === 'R') {
      if (buffer.length < 9) return undefined;
      size = buffer.readUInt32LE(1) * buffer.readUInt32LE(5) * 4;
      start = 1;
    } else size = buffer.readUInt32LE(1);
    const end = (kind === 'R' ? 9 : 5) + size;
    if (buffer.length < end) return undefined;
    this.buffered = buffer.subarray(end);
    return { kind, payload: buffer.subarray(start, end) };
  }

  private onFrame(frame: Frame): void {
    if (frame.kind === 'H') {
      this.pingWaiters.shift()?.(true);
      return;
    }
    if (frame.kind === 'R' || frame.kind === 'E') {
      this.settle(frame);
      return;
    }
    this.frameWaiters.shift()?.(frame);
  }

  private settle(frame: Frame): void {
    const batch = this.inFlight ?? [];
    if (frame.kind === 'E') {
      const error = new Error(frame.payload.toString('utf8'));
      batch.forEach((entry) => entry.reject(error));
    } else {
      const rows = frame.payload.readUInt32LE(0);
      const width = frame.payload.readUInt32LE(4);
      // Copy: the frame's bytes may not be 4-byte aligned for a Float32Array view.
      const values = new Float32Array(rows * width);
      Buffer.from(values.buffer).set(frame.payload.subarray(8));
      let offset = 0;
      for (const entry of batch) {
        const count = entry.matrix.rows * width;
        entry.resolve({ predictions: values.subarray(offset, offset + count), width });
        offset += count;
      }
    }
    this.flush();
  }

  private nextFrame(): Promise<Frame> {
    return new Promise((resolve) => this.frameWaiters.push(resolve));
  }

  private failAll(error: Error): void {
    for (const entry of [...(this.inFlight ?? []), ...this.queue]) entry.reject(error);
    this.inFlight = undefined;
    this.queue = [];
    this.pingWaiters.splice(0).forEach((resolve) => resolve(false));
    this.drained?.();
  }
}

function timeout(ms: number, what: string): Promise<never> {
  return new Promise((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
    timer.unref();
  });
}
