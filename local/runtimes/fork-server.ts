import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

import {
  signalProcess,
  type OutputTarget,
  type ProcessEnd,
  type PythonLaunch,
  type PythonProcess,
} from './python-process';

const SERVER_SCRIPT = path.join(__dirname, 'fork_server.py');
/** Imported once by the server: what the jobs and the serving worker import. */
export const PRELOADED_MODULES = ['numpy', 'pandas', 'sklearn', 'xgboost'] as const;
const START_TIMEOUT_MS = 120_000;
/** A blank last argument: the room in which a forked job writes its own command line (ps shows it). */
const TITLE_ROOM = ' '.repeat(4096);

export interface ForkServerOptions {
  readonly python: string;
  /** The server's environment: what a fresh interpreter reads at start-up must be the jobs' own. */
  readonly env: Readonly<Record<string, string>>;
  /** A command the server runs under (e.g. `unshare -r --` so that its children can mount). */
  readonly prefix: readonly string[];
}

let jobCounter = 0;

/**
 * A warm Python (fork_server.py) that forks each job. Start it with `ForkServer.start`; it ends with this
 * process (its stdin closes, and PR_SET_PDEATHSIG) or with `close()`.
 */
export class ForkServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly socketPath: string,
  ) {}

  /** Starts the server and waits until it imported the ML stack; rejects with its stderr if it cannot. */
  static async start(options: ForkServerOptions): Promise<ForkServer> {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-fork-'));
    const socketPath = path.join(folder, 'socket');
    const argv = [
      ...options.prefix,
      options.python,
      '-u',
      SERVER_SCRIPT,
      socketPath,
      ...PRELOADED_MODULES,
      TITLE_ROOM,
    ];
    const child = spawn(argv[0] ?? '', argv.slice(1), {
      env: { ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C in the terminal is for Node, which stops the jobs itself.
      detached: true,
    });
    const removeFolder = () => fs.rmSync(folder, { recursive: true, force: true });
    child.on('exit', removeFolder);
    // Node usually ends first: the server then dies by PR_SET_PDEATHSIG (SIGKILL), with no chance to clean up.
    process.once('exit', removeFolder);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the fork server did not start within ${START_TIMEOUT_MS / 1000} s`));
      }, START_TIMEOUT_MS);
      const settle = (error?: Error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      child.on('error', (error) => settle(error));
      child.on('exit', (code, signal) =>
        settle(new Error(`the fork server ended (${signal ?? `exit code ${code}`}): ${stderr.trim()}`)),
      );
      createInterface({ input: child.stdout! }).once('line', (line) =>
        line === 'ready' ? settle() : settle(new Error(`unexpected fork server output: ${line}`)),
      );
    });
    // It must not keep Node alive; it exits when Node does.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr])
      (stream as unknown as net.Socket)?.unref();
    return new ForkServer(child, socketPath);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  close(): void {
    this.child.stdin?.end();
  }

  /** Forks one job from the warm interpreter. */
  launch(launch: PythonLaunch): PythonProcess {
    const job = `${process.pid}-${++jobCounter}`;
    const sockets = new Map<number, net.Socket>();
    const files: Record<number, string> = {};
    const outputs: [number, OutputTarget][] = [
      [1, launch.stdout],
      [2, launch.stderr],
    ];
    for (const [fd, target] of outputs) {
      if (target === 'pipe') sockets.set(fd, this.connect({ job, fd }));
      else files[fd] = target.appendTo;
    }
    if (launch.channel) sockets.set(3, this.connect({ job, fd: 3 }));
    const control = this.connect({ job, request: this.request(launch, files, [...sockets.keys()]) });
    return forkedProcess(control, sockets);
  }

  private request(launch: PythonLaunch, files: Record<number, string>, sockets: number[]) {
    return {
      argv: [launch.python, ...launch.flags, launch.script, ...launch.args],
      script_index: 1 + launch.flags.length,
      unbuffered: launch.flags.includes('-u'),
      env: launch.env,
      cwd: launch.cwd,
      namespace: launch.namespace
        ? { opt_ml: launch.namespace.optMl, sandbox: launch.namespace.sandbox }
        : null,
      files,
      sockets,
    };
  }

  private connect(header: object): net.Socket {
    const socket = net.createConnection(this.socketPath);
    socket.write(`${JSON.stringify(header)}\n`);
    return socket;
  }
}

/** The job as the server reports it on the control connection: `{"pid"}`, then `{"code", "signal"}`. */
function forkedProcess(control: net.Socket, sockets: Map<number, net.Socket>): PythonProcess {
  let pidKnown: number | undefined;
  let exit: ProcessEnd | undefined;
  let resolvePid!: (pid: number) => void;
  let rejectPid!: (error: Error) => void;
  const pid = new Promise<number>((resolve, reject) => {
    resolvePid = resolve;
    rejectPid = reject;
  });
  pid.catch(() => undefined);
  createInterface({ input: control }).on('line', (line) => {
    const message = JSON.parse(line) as {
      pid?: number;
      code?: number | null;
      signal?: NodeJS.Signals | null;
    };
    if (message.pid !== undefined) {
      pidKnown = message.pid;
      resolvePid(message.pid);
    } else exit = { code: message.code ?? null, signal: message.signal ?? null };
  });
  const closed = (socket: net.Socket) =>
    new Promise<void>((resolve) => {
      socket.on('error', () => undefined);
      socket.on('close', () => resolve());
    });
  const outputsClosed = [1, 2].flatMap((fd) => (sockets.has(fd) ? [closed(sockets.get(fd)!)] : []));
  const ended = Promise.all([closed(control), ...outputsClosed]).then((): ProcessEnd => {
    if (pidKnown === undefined) {
      const error = new Error('the fork server closed the connection before starting the job');
      rejectPid(error);
      throw error;
    }
    // No exit status: the server itself died, and its jobs with it (PR_SET_PDEATHSIG).
    return exit ?? { code: null, signal: 'SIGKILL' };
  });
  const stdout = sockets.get(1);
  const stderr = sockets.get(2);
  const channel = sockets.get(3);
  return {
    pid,
    ...(stdout ? { stdout } : {}),
    ...(stderr ? { stderr } : {}),
    ...(channel ? { channel } : {}),
    ended,
    kill: (signal, options) => {
      void pid.then((known) => {
        if (!exit) signalProcess(known, signal, options?.group ?? false);
      });
    },
  };
}
