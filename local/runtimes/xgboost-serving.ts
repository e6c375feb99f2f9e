import * as fs from 'node:fs';

import {
  PayloadError,
  decodeFeatures,
  encodePredictions,
  mediaType,
  type FeatureMatrix,
} from './xgboost-serving-payload';
import { warmForkServer } from './python-launcher';
import {
  WorkerProcess,
  workerLaunch,
  type Frame,
  type WorkerOptions,
} from './xgboost-serving-worker-process';

/** SageMaker's request payload limit (6 MB); the container refuses larger bodies with 413. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Upper bound of rows per predict call, so one huge batch cannot hold many small requests back. */
const MAX_BATCH_ROWS = 200_000;
/** A worker that served this long before it died is restarted at once, whatever happened before. */
const STABLE_RUN_MS = 60_000;
/** Restarts after the first one wait 0.5 s, 1 s, 2 s, ... up to 30 s, so a model that keeps crashing does not spin. */
const RESTART_BASE_MS = 500;
const RESTART_MAX_MS = 30_000;

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

export type XgboostServingOptions = WorkerOptions;

/**
 * The container gave no HTTP answer: its worker died during the request, or is down waiting to be restarted.
 * SageMaker Runtime reports this as a ModelError with original status 0.
 */
export class NoResponseError extends Error {}

interface Prediction {
  readonly predictions: Float32Array;
  readonly width: number;
}

interface Pending {
  readonly matrix: FeatureMatrix;
  resolve(result: Prediction): void;
  reject(error: Error): void;
}

/** A dead worker waiting for its restart: why, and when the restart is due. */
interface Down {
  readonly reason: string;
  readonly until: number;
  readonly timer: NodeJS.Timeout;
}

/**
 * The sagemaker-xgboost 1.7-1 serving container's contract (`GET /ping`, `POST /invocations`) in-process: one
 * Python worker holds the model; requests that arrive while it predicts are batched into its next call. A
 * worker that dies is restarted (with a back-off), as SageMaker replaces an unhealthy instance.
 */
export class XgboostServing {
  numFeatures = 0;
  /** The current worker, loading or serving; none while a restart waits out its back-off. */
  private worker: WorkerProcess | undefined;
  private queue: Pending[] = [];
  private inFlight: Pending[] | undefined;
  private flushScheduled = false;
  private closing = false;
  private stopped = false;
  private drained?: () => void;
  /** Set while the worker is down and the next restart waits out its back-off. */
  private down: Down | undefined;
  /** Deaths and failed restarts since the last stable run (they set the back-off). */
  private failures = 0;
  private servingSince = 0;

  constructor(private readonly options: XgboostServingOptions) {}

  /** Starts the worker and waits for the model to load; rejects with the load error. */
  async start(): Promise<void> {
    this.numFeatures = (await this.launch()).numFeatures;
  }

  /** `GET /ping`: true when the worker answers a health check within 2 s. */
  async ping(): Promise<boolean> {
    return this.worker?.loaded ? this.worker.ping() : false;
  }

  /** `POST /invocations`; rejects with NoResponseError when the worker dies or is down (no HTTP answer). */
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
      if (error instanceof NoResponseError) throw error;
      if (error instanceof PayloadError)
        return { status: error.status, body: error.message, contentType: 'text/plain' };
      return {
        status: 500,
        body: `Unable to evaluate payload provided: ${(error as Error).message}`,
        contentType: 'text/plain',
      };
    }
  }

  /** Stops taking requests, lets those already queued finish, then ends the worker (and any pending restart). */
  async stop(): Promise<void> {
    this.closing = true;
    if (this.down) clearTimeout(this.down.timer);
    this.down = undefined;
    if (this.inFlight || this.queue.length > 0)
      await new Promise<void>((resolve) => (this.drained = resolve));
    this.stopped = true;
    await this.worker?.end();
  }

  /** Starts a worker as the current one and waits for its model; watches it for an unexpected death. */
  private async launch(): Promise<WorkerProcess> {
    // An endpoint restored as the local AWS starts would otherwise import the ML stack cold beside the server.
    await warmForkServer(workerLaunch(this.options));
    if (this.stopped) throw new Error('the serving container has stopped');
    const worker = new WorkerProcess(this.options, (frame) => this.settle(frame));
    this.worker = worker;
    await worker.load();
    this.servingSince = Date.now();
    void worker.ended.then((reason) => this.onDeath(worker, reason));
    return worker;
  }

  /** A serving worker died: the batch it was predicting gets no answer; a new worker starts after the back-off. */
  private onDeath(worker: WorkerProcess, reason: string): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    const lost = new NoResponseError(`${reason} while predicting; see ${this.options.logFile}`);
    (this.inFlight ?? []).forEach((entry) => entry.reject(lost));
    this.inFlight = undefined;
    if (this.endedByStop()) return;
    this.failures = Date.now() - this.servingSince >= STABLE_RUN_MS ? 1 : this.failures + 1;
    this.scheduleRestart(reason);
  }

  private scheduleRestart(reason: string): void {
    const delay = restartDelay(this.failures);
    this.note(`${reason}; restarting it${delay === 0 ? '' : ` in ${delay / 1000} s`}`);
    if (delay === 0) {
      void this.restart();
      return;
    }
    const timer = setTimeout(() => {
      this.down = undefined;
      void this.restart();
    }, delay);
    this.down = { reason, until: Date.now() + delay, timer };
    // Requests do not wait out a back-off: they are answered at once, like an endpoint without a healthy instance.
    this.failAll(this.unavailable(this.down));
  }

  /** Requests queued meanwhile wait for the new worker; if its model does not load, the back-off grows. */
  private async restart(): Promise<void> {
    try {
      const worker = await this.launch();
      this.note(`the serving worker restarted (pid ${worker.pid}) and serves again`);
      this.flushSoon();
    } catch (error) {
      this.worker = undefined;
      if (this.endedByStop()) return;
      this.failures++;
      this.scheduleRestart(`the serving worker could not be restarted: ${(error as Error).message}`);
    }
  }

  /** Once stop() has begun nothing restarts: whatever still waits is told the container has stopped. */
  private endedByStop(): boolean {
    if (!this.closing) return false;
    this.failAll(new Error('the serving container has stopped'));
    return true;
  }

  private unavailable(down: Down): NoResponseError {
    const wait = Math.max(0, down.until - Date.now());
    return new NoResponseError(
      `${down.reason}; the next restart is in ${(wait / 1000).toFixed(1)} s; see ${this.options.logFile}`,
    );
  }

  /** A line of the local AWS in the endpoint's log, beside the worker's own output. */
  private note(message: string): void {
    fs.appendFileSync(this.options.logFile, `[local AWS ${new Date().toISOString()}] ${message}\n`);
  }

  private predict(matrix: FeatureMatrix): Promise<Prediction> {
    if (this.stopped) return Promise.reject(new Error('the serving container has stopped'));
    if (this.down) return Promise.reject(this.unavailable(this.down));
    return new Promise((resolve, reject) => {
      this.queue.push({ matrix, resolve, reject });
      this.flushSoon();
    });
  }

  /** Requests parsed in the same turn of the event loop (several sockets readable at once) share a call. */
  private flushSoon(): void {
    if (this.inFlight || this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.inFlight) this.flush();
    });
  }

  /** Sends every queued request as one predict call (once a restarting worker has loaded, if it is one). */
  private flush(): void {
    this.inFlight = undefined;
    if (this.queue.length === 0) {
      if (this.closing) this.drained?.();
      return;
    }
    const worker = this.worker;
    if (!worker?.loaded) return;
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
    worker.predict(
      rows,
      this.numFeatures,
      batch.map((entry) => entry.matrix.data),
    );
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

  private failAll(error: Error): void {
    for (const entry of [...(this.inFlight ?? []), ...this.queue]) entry.reject(error);
    this.inFlight = undefined;
    this.queue = [];
    if (this.closing) this.drained?.();
  }
}

/** No wait for the first death after a stable run, then RESTART_BASE_MS doubling up to RESTART_MAX_MS. */
function restartDelay(failures: number): number {
  return failures <= 1 ? 0 : Math.min(RESTART_BASE_MS * 2 ** (failures - 2), RESTART_MAX_MS);
}
