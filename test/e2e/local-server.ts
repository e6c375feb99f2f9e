import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

/** The CLI entry point, as a user runs it. */
export const CLI = path.resolve(__dirname, '..', '..', 'bin', 'mlops.js');

/** `mlops local start` running as its own process. */
export interface LocalServer {
  readonly child: ChildProcess;
  readonly endpoint: string;
}

/** The environment of a CLI process: no AWS or MLOPS settings of the caller, plain output. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('MLOPS_')),
  );
  return { ...env, CI: 'true', AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

/** Starts `mlops local start` on a free port; resolves once it prints where it listens. */
export function startLocalServer(options: {
  stateDir: string;
  cwd: string;
  /** Settings of the server process (e.g. MLOPS_FORK_SERVER). */
  env?: Record<string, string>;
}): Promise<LocalServer> {
  const child = spawn(
    process.execPath,
    [CLI, 'local', 'start', '--port', '0', '--state-dir', options.stateDir],
    { cwd: options.cwd, env: cliEnv(options.env) },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve({ child, endpoint: match[1]! });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`local start exited ${code}:\n${output}`)));
  });
}

/** Stops the server with SIGTERM and waits for it to exit. */
export async function stopLocalServer(running: LocalServer): Promise<void> {
  // Already gone (exited, or killed by a signal: then exitCode stays null): its 'exit' event has passed.
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill('SIGTERM');
  await exited;
}
