import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { nodeBinary, type NodeRuntime } from './node-runtimes';

/** The repository root: where the runner's working directory (the workspace) would be. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export type ActionName =
  'upsert-sagemaker-pipeline' | 'wait-for-execution' | 'deploy-endpoint' | 'approved-model';

export interface BundleRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

export interface RunOptions {
  /** Action inputs by their action.yml names; passed as INPUT_<NAME> like the runner (hyphens kept). */
  readonly inputs?: Readonly<Record<string, string>>;
  /** Extra environment (AWS_ENDPOINT_URL, GITHUB_* ...). Nothing else from the test's environment leaks in. */
  readonly env?: Readonly<Record<string, string>>;
  /** The Node.js the bundle runs on; default node24, what action.yml's runs.using says. */
  readonly node?: NodeRuntime;
  /** Called once the process runs; e.g. to send it SIGTERM later. */
  readonly onSpawn?: (child: { kill(signal: NodeJS.Signals): boolean; stdout: string[] }) => void;
}

/**
 * Executes a committed bundle the way the runner does: `node dist/<action>/index.js` in the workspace,
 * inputs as INPUT_* variables, outputs and summary through the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
 */
export async function runBundle(action: ActionName, options: RunOptions = {}): Promise<BundleRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bundle-${action}-`));
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary.md');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs ?? {}))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  try {
    const result = await new Promise<Omit<BundleRun, 'outputs' | 'summary'>>((resolve, reject) => {
      const node = nodeBinary(options.node ?? 'node24');
      const child = spawn(node, [path.join(REPO_ROOT, 'dist', action, 'index.js')], {
        cwd: REPO_ROOT,
        env,
      });
      const stdout: string[] = [];
      const stderr: string[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
      child.on('error', reject);
      child.on('close', (code, signal) =>
        resolve({ code, signal, stdout: stdout.join(''), stderr: stderr.join('') }),
      );
      options.onSpawn?.({ kill: (signal) => child.kill(signal), stdout });
    });
    return {
      ...result,
      outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')),
      summary: fs.readFileSync(summaryFile, 'utf8'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads the GITHUB_OUTPUT file format @actions/core writes: `name<<delimiter`, value lines, `delimiter`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[index] ?? '');
    if (!match?.[1] || !match[2]) continue;
    const end = lines.indexOf(match[2], index + 1);
    outputs[match[1]] = lines.slice(index + 1, end).join('\n');
    index = end;
  }
  return outputs;
}

/** An HTTP server that counts requests and answers none usefully: proves a bundle called no AWS API. */
export async function startCountingServer(): Promise<{
  url: string;
  requests(): number;
  close(): Promise<void>;
}> {
  let count = 0;
  const server = http.createServer((request, response) => {
    count += 1;
    request.resume();
    response.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"counting server"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Environment of a GitHub run (what tags, display names and tokens derive from). */
export function githubEnv(overrides: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    GITHUB_REPOSITORY: 'example-org/mlops-demo',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'train',
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_SERVER_URL: 'https://github.com',
    ...overrides,
  };
}
