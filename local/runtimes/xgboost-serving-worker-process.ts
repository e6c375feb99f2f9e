import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';

import { pythonEnvironment } from './python';
import { launchPython } from './python-launcher';
import type { PythonLaunch, PythonProcess } from './python-process';

const WORKER_SCRIPT = path.join(__dirname, 'xgboost-serving-worker.py');
/** SageMaker waits this long for /ping to answer. */
const PING_TIMEOUT_MS = 2_000;
const LOAD_TIMEOUT_MS = 60_000;

export interface WorkerOptions {
  /** The extracted model.tar.gz (holds `xgboost-model`). */
  readonly modelDir: string;
  readonly python: string;
  /** The worker's stdout and stderr go here (the endpoint's log). */
  readonly logFile: string;
}

/** One protocol frame: its kind letter and payload (see xgboost-serving-worker.py). */
export type Frame = { kind: string; payload: Buffer };

/**
 * One Python serving worker (xgboost-serving-worker.py) and the framed protocol on its fd 3. Its stdout and
 * stderr are the log file, so nothing XGBoost or model code prints can get between the frames.
 */
export class WorkerProcess {
  numFeatures = 0;
  loaded = false;
  /** Settles with why the process ended, once it has and every frame it wrote has been read. */
  readonly ended: Promise<string>;
  private readonly process: PythonProcess;
  private knownPid: number | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private readonly pingWaiters: ((healthy: boolean) => void)[] = [];
  private firstFrame?: (frame: Frame) => void;
  private gone = false;

  constructor(
    private readonly options: WorkerOptions,
    private readonly onResult: (frame: Frame) => void,
  ) {
    this.process = startWorker(options);
    this.ended = new Promise((resolve) => {
      const end = (reason: string) => {
        if (this.gone) return;
        this.gone = true;
        this.pingWaiters.splice(0).forEach((answer) => answer(false));
        resolve(reason);
      };
      const worker = this.process;
      void worker.pid.then((pid) => (this.knownPid = pid));
      worker.channel?.on('data', (chunk: Buffer) => this.onData(chunk));
      // Writes to a worker that just died fail with EPIPE; its end reports the death.
      worker.channel?.on('error', () => undefined);
      worker.ended.then(
        ({ code, signal }) =>
          end(
            `the serving worker (pid ${this.knownPid}) ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`,
          ),
        (error: Error) => end(`the serving worker could not run ${options.python}: ${error.message}`),
      );
    });
  }

  get pid(): number | undefined {
    return this.knownPid;
  }

  /** Waits for the model to load; on failure ends the process and rejects with the cause. */
  async load(): Promise<void> {
    try {
      const first = await Promise.race([
        new Promise<Frame>((resolve) => (this.firstFrame = resolve)),
        this.ended.then((reason) => Promise.reject(new Error(`${reason}; see ${this.options.logFile}`))),
        timeout(LOAD_TIMEOUT_MS, 'loading the model'),
      ]);
      if (first.kind === 'F') throw new Error(first.payload.toString('utf8'));
      if (first.kind !== 'Y') throw new Error(`unexpected first frame ${first.kind} from the serving worker`);
      this.numFeatures = (
        JSON.parse(first.payload.toString('utf8')) as { num_features: number }
      ).num_features;
      this.loaded = true;
    } catch (error) {
      await this.end();
      throw error;
    }
  }

  ping(): Promise<boolean> {
    if (this.gone) return Promise.resolve(false);
    const answered = new Promise<boolean>((resolve) => {
      this.pingWaiters.push(resolve);
      this.write('H');
    });
    return Promise.race([answered, timeout(PING_TIMEOUT_MS, 'ping').catch(() => false)]);
  }

  /** One predict call: `P rows cols` and the rows; the answer comes to `onResult`. */
  predict(rows: number, cols: number, parts: readonly Float32Array[]): void {
    const header = Buffer.alloc(9);
    header.write('P', 0);
    header.writeUInt32LE(rows, 1);
    header.writeUInt32LE(cols, 5);
    const data = parts.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength));
    this.write(Buffer.concat([header, ...data]));
  }

  /** Closes the channel (the worker answers what it was sent, then exits); kills it if it is loading or lingers. */
  async end(): Promise<void> {
    if (this.gone) return;
    this.process.channel?.end();
    if (!this.loaded) this.process.kill('SIGTERM');
    const killer = setTimeout(() => this.process.kill('SIGKILL'), 2_000);
    await this.ended;
    clearTimeout(killer);
  }

  private write(data: string | Buffer): void {
    (this.process.channel as Duplex | undefined)?.write(data);
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
    if (frame.kind === 'H') this.pingWaiters.shift()?.(true);
    else if (frame.kind === 'R' || frame.kind === 'E') this.onResult(frame);
    else this.firstFrame?.(frame);
  }
}

/** The worker (forked warm where possible) with stdin closed, stdout and stderr appended to the log, the protocol on fd 3. */
function startWorker(options: WorkerOptions): PythonProcess {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  return launchPython(workerLaunch(options));
}

/** How a serving worker runs: `python -u xgboost-serving-worker.py <model dir>`. */
export function workerLaunch(options: WorkerOptions): PythonLaunch {
  return {
    python: options.python,
    flags: ['-u'],
    script: WORKER_SCRIPT,
    args: [options.modelDir],
    env: { ...pythonEnvironment(process.env), HOME: process.env.HOME ?? os.tmpdir(), OMP_NUM_THREADS: '1' },
    cwd: process.cwd(),
    stdout: { appendTo: options.logFile },
    stderr: { appendTo: options.logFile },
    channel: true,
  };
}

function timeout(ms: number, what: string): Promise<never> {
  return new Promise((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
    timer.unref();
  });
}
