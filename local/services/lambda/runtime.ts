import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { FunctionInvoker, InvokeRequest, InvokeResult } from '../../core/deps';
import { AwsError } from '../../core/errors';
import { compiledModule, loadEsbuild, ModuleBuildError } from './compiled-module';
import { type FunctionConfiguration, type FunctionRegistry, resolveHandler } from './functions';
import type { ErrorPayload, WorkerReply, WorkerRequest } from './worker-protocol';

export interface LambdaRuntimeOptions {
  readonly registry: FunctionRegistry;
  /** Folder for one log file per function (`<FunctionName>.log`). */
  readonly logDir: string;
  /** The environment every function sees: AWS_ENDPOINT_URL, region and credentials of the local AWS. */
  readonly awsEnv: () => Record<string, string>;
}

/** What one invocation produced, before it is put on the wire. */
export interface Invocation {
  readonly payload: string;
  readonly functionError?: 'Unhandled';
  /** What the function wrote to stdout/stderr during this invocation. */
  readonly log: string;
}

const WORKER = path.join(__dirname, `worker${path.extname(__filename)}`);
const LOG_TAIL_BYTES = 4096;

/**
 * Runs functions the way Lambda does: each function gets a warm worker process (started on first use,
 * reused after) that runs one invocation at a time, with the function's environment plus the local AWS's
 * endpoint and dummy credentials, so SDK clients inside the handler talk to the local AWS.
 */
export class LambdaRuntime implements FunctionInvoker {
  private readonly workers = new Map<string, Worker>();

  constructor(private readonly options: LambdaRuntimeOptions) {
    fs.mkdirSync(options.logDir, { recursive: true });
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const payload = Buffer.isBuffer(request.payload)
      ? request.payload
      : Buffer.from(JSON.stringify(request.payload ?? {}));
    const invocation = await this.run(request.functionName, payload);
    return {
      payload: JSON.parse(invocation.payload) as unknown,
      raw: invocation.payload,
      ...(invocation.functionError ? { functionError: invocation.functionError } : {}),
    };
  }

  prepare(functionName: string): void {
    let configuration: FunctionConfiguration;
    try {
      configuration = this.options.registry.get(functionName);
    } catch {
      return;
    }
    this.worker(configuration);
  }

  /** Invokes with a raw JSON payload (as Invoke receives it). */
  async run(functionName: string, payload: Buffer): Promise<Invocation> {
    const configuration = this.options.registry.get(functionName);
    const event = parsePayload(payload);
    const worker = this.worker(configuration);
    const invocation = await worker.invoke(event, configuration);
    if (!worker.alive) this.workers.delete(configuration.FunctionName);
    return invocation;
  }

  /** Stops a function's worker (after DeleteFunction). */
  async retire(functionName: string): Promise<void> {
    const worker = this.workers.get(functionName);
    this.workers.delete(functionName);
    await worker?.kill();
  }

  async stop(): Promise<void> {
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((worker) => worker.kill()));
  }

  /** The log tail Invoke returns for `LogType: Tail` (base64 of the last 4 KB). */
  static logTail(log: string): string {
    const bytes = Buffer.from(log);
    return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
  }

  private worker(configuration: FunctionConfiguration): Worker {
    const existing = this.workers.get(configuration.FunctionName);
    // A re-created function (new LastModified) gets a fresh worker.
    if (existing?.alive && existing.version === configuration.LastModified) return existing;
    void existing?.kill();
    const worker = new Worker(configuration, {
      env: { ...this.baseEnv(), ...configuration.Environment.Variables, ...this.options.awsEnv() },
      logFile: path.join(this.options.logDir, `${configuration.FunctionName}.log`),
    });
    this.workers.set(configuration.FunctionName, worker);
    return worker;
  }

  /** The parent's environment without AWS settings, which would otherwise override the local endpoint. */
  private baseEnv(): Record<string, string> {
    const entries = Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('AWS_'),
    );
    return Object.fromEntries(entries);
  }
}

function parsePayload(payload: Buffer): unknown {
  if (payload.length === 0) return {};
  try {
    return JSON.parse(payload.toString('utf8')) as unknown;
  } catch {
    throw new AwsError(
      'InvalidRequestContentException',
      'Could not parse request body into json: the payload must be JSON',
    );
  }
}

/** How a worker process starts: the worker script, the handler module, and Node's own flags. */
interface WorkerCommand {
  readonly worker: string;
  readonly modulePath: string;
  readonly execArgv: readonly string[];
}

let saidTsx = false;

/**
 * The worker and the handler as prebuilt JavaScript (see compiled-module.ts), so that a cold start costs
 * Node and the handler's own imports, not a TypeScript compiler; through tsx where esbuild is not installed.
 */
async function workerCommand(modulePath: string): Promise<WorkerCommand> {
  const compiler = loadEsbuild();
  if (compiler) {
    const [worker, handler] = await Promise.all([
      compiledModule(WORKER, compiler),
      compiledModule(modulePath, compiler),
    ]);
    return { worker, modulePath: handler, execArgv: [] };
  }
  if (!saidTsx) {
    saidTsx = true;
    process.stderr.write(
      'local AWS: esbuild is not installed; Lambda handlers run through tsx (slower cold starts)\n',
    );
  }
  return { worker: WORKER, modulePath, execArgv: ['--require', require.resolve('tsx/cjs')] };
}

/** One function's warm process. Invocations queue and run one at a time. */
class Worker {
  readonly version: string;
  alive = true;
  private child: ChildProcess | undefined;
  private killed = false;
  private readonly ready: Promise<ErrorPayload | undefined>;
  private queue: Promise<unknown> = Promise.resolve();
  private output = '';
  private exited: Promise<void> = Promise.resolve();

  constructor(
    configuration: FunctionConfiguration,
    options: { env: Record<string, string>; logFile: string },
  ) {
    this.version = configuration.LastModified;
    const handler = resolveHandler(configuration.Handler);
    this.ready = workerCommand(handler.modulePath).then(
      (command) => this.start(command, handler.exportName, configuration, options),
      (error: Error): ErrorPayload => {
        this.alive = false;
        return {
          errorType:
            error instanceof ModuleBuildError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError',
          errorMessage: error.message,
          trace: [],
        };
      },
    );
  }

  private start(
    command: WorkerCommand,
    exportName: string,
    configuration: FunctionConfiguration,
    options: { env: Record<string, string>; logFile: string },
  ): Promise<ErrorPayload | undefined> {
    if (this.killed) {
      this.alive = false;
      return Promise.resolve(exitError('before it was ready', ''));
    }
    const child = fork(command.worker, [command.modulePath, exportName], {
      execArgv: [...command.execArgv],
      env: { ...options.env, AWS_LAMBDA_FUNCTION_NAME: configuration.FunctionName },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    const log = fs.createWriteStream(options.logFile, { flags: 'a' });
    const capture = (chunk: Buffer) => {
      this.output += chunk.toString('utf8');
      log.write(chunk);
    };
    child.stdout?.on('data', capture);
    child.stderr?.on('data', capture);
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        this.alive = false;
        log.end();
        resolve();
      }),
    );
    return new Promise((resolve) => {
      const onMessage = (reply: WorkerReply) => {
        if (reply.type === 'ready') resolve(undefined);
        if (reply.type === 'init-error') resolve(reply.error);
        if (reply.type === 'ready' || reply.type === 'init-error') child.off('message', onMessage);
      };
      child.on('message', onMessage);
      void this.exited.then(() => resolve(exitError('before it was ready', this.output)));
    });
  }

  invoke(event: unknown, configuration: FunctionConfiguration): Promise<Invocation> {
    const run = this.queue.then(() => this.runOne(event, configuration));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async kill(): Promise<void> {
    this.killed = true;
    if (this.alive) this.child?.kill('SIGKILL');
    await this.exited;
  }

  private async runOne(event: unknown, configuration: FunctionConfiguration): Promise<Invocation> {
    this.output = '';
    const initError = await this.ready;
    const child = this.child;
    if (initError || !child) {
      await this.kill();
      return failure(initError ?? exitError('before it was ready', this.output), this.output);
    }
    const requestId = randomUUID();
    const timeoutMs = configuration.Timeout * 1000;
    const request: WorkerRequest = {
      requestId,
      functionArn: configuration.FunctionArn,
      event,
      deadline: Date.now() + timeoutMs,
    };
    const reply = await new Promise<WorkerReply | 'timeout' | 'exit'>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), timeoutMs);
      const onMessage = (message: WorkerReply) => {
        if ('requestId' in message && message.requestId === requestId) done(message);
      };
      const done = (result: WorkerReply | 'timeout' | 'exit') => {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(result);
      };
      child.on('message', onMessage);
      void this.exited.then(() => done('exit'));
      child.send(request);
    });
    if (reply === 'timeout') {
      await this.kill();
      const message = `${requestId} Task timed out after ${configuration.Timeout.toFixed(2)} seconds`;
      return failure({ errorType: 'Sandbox.Timedout', errorMessage: message, trace: [] }, this.output);
    }
    if (reply === 'exit') return failure(exitError('during the invocation', this.output), this.output);
    if (reply.type === 'result') return { payload: reply.payload, log: this.output };
    if (reply.type === 'error') return failure(reply.error, this.output);
    return failure(exitError('with an unexpected message', this.output), this.output);
  }
}

function failure(error: ErrorPayload, log: string): Invocation {
  return { payload: JSON.stringify(error), functionError: 'Unhandled', log };
}

function exitError(when: string, output: string): ErrorPayload {
  const tail = output.trim().split('\n').slice(-5).join('\n');
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `the function's process exited ${when}${tail ? `: ${tail}` : ''}`,
    trace: [],
  };
}
