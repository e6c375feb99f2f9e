import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

import { getProperty, type Value } from './expressions';
import { readFileCommand } from './file-commands';

/** What every job of one replay shares: where the repository is, the local AWS, artifacts and caches. */
export interface ReplayEnvironment {
  readonly repoRoot: string;
  readonly workDir: string;
  readonly artifactsDir: string;
  readonly cacheDir: string;
  /** The local AWS the replay targets (it stands in for the credentials step and the local AWS start step). */
  readonly awsEndpoint: string;
  readonly github: Readonly<Record<string, Value>>;
  /** Other commits `actions/checkout` can deliver, as edits to a copy of the working tree. */
  readonly commits: Readonly<Record<string, (checkout: string) => void>>;
  readonly log: (line: string) => void;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly output: string;
}

interface StepFiles {
  readonly output: string;
  readonly env: string;
  readonly path: string;
  readonly summary: string;
  readonly state: string;
}

/** Environment variables a process on a runner inherits from the machine (everything else is set by the job). */
const MACHINE_VARIABLES = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'MLOPS_PYTHON', 'NODE_EXTRA_CA_CERTS'];
/** Keeps a failing step's message readable: only the tail of its output is kept. */
const MAX_LOG_CHARS = 200_000;
const DEFAULT_STEP_TIMEOUT_MS = 15 * 60_000;

/** One job on one (simulated) runner: its workspace, env, step outputs and summary. */
export class JobRuntime {
  readonly workspace: string;
  readonly runnerTemp: string;
  readonly steps: Record<string, Value> = {};
  readonly summaries: string[] = [];
  readonly postSteps: Array<{ name: string; run: () => Promise<void> }> = [];
  failed = false;
  private readonly addedEnv: Record<string, string> = {};
  private readonly addedPath: string[] = [];
  private fileCounter = 0;

  constructor(
    readonly key: string,
    readonly replay: ReplayEnvironment,
    private readonly jobEnv: Readonly<Record<string, string>>,
  ) {
    const root = join(replay.workDir, 'jobs', key.replace(/[^A-Za-z0-9_.-]/g, '_'));
    this.workspace = join(root, 'workspace');
    this.runnerTemp = join(root, 'temp');
    mkdirSync(this.workspace, { recursive: true });
    mkdirSync(this.runnerTemp, { recursive: true });
  }

  /** `echo NAME=value >> $GITHUB_ENV`: visible to later steps, overriding the job's `env:`. */
  setEnv(name: string, value: string): void {
    this.addedEnv[name] = value;
  }

  /** The `env` context: workflow and job env, then what steps added. */
  envContext(stepEnv: Readonly<Record<string, string>> = {}): Record<string, string> {
    return { ...this.jobEnv, ...this.addedEnv, ...stepEnv };
  }

  githubVariables(): Record<string, string> {
    const github = this.replay.github;
    const text = (key: string): string => {
      const value = getProperty(github as Value, key);
      return value === null ? '' : String(value);
    };
    return {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: this.workspace,
      GITHUB_REPOSITORY: text('repository'),
      GITHUB_REPOSITORY_OWNER: text('repository_owner'),
      GITHUB_SHA: text('sha'),
      GITHUB_REF: text('ref'),
      GITHUB_REF_NAME: text('ref_name'),
      GITHUB_BASE_REF: text('base_ref'),
      GITHUB_HEAD_REF: text('head_ref'),
      GITHUB_EVENT_NAME: text('event_name'),
      GITHUB_EVENT_PATH: join(this.replay.workDir, 'event.json'),
      GITHUB_RUN_ID: text('run_id'),
      GITHUB_RUN_NUMBER: text('run_number'),
      GITHUB_RUN_ATTEMPT: text('run_attempt'),
      GITHUB_SERVER_URL: text('server_url'),
      GITHUB_API_URL: text('api_url'),
      GITHUB_ACTOR: text('actor'),
      GITHUB_WORKFLOW: text('workflow'),
      GITHUB_JOB: this.key,
      RUNNER_TEMP: this.runnerTemp,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
    };
  }

  /** The full environment of a step's process, in the runner's order of precedence. */
  processEnv(
    stepEnv: Readonly<Record<string, string>>,
    files: StepFiles,
    extra: Record<string, string> = {},
  ): NodeJS.ProcessEnv {
    const machine = Object.fromEntries(
      MACHINE_VARIABLES.flatMap((name) =>
        process.env[name] === undefined ? [] : [[name, process.env[name]]],
      ),
    ) as Record<string, string>;
    const path = [...this.addedPath, machine.PATH ?? ''].join(delimiter);
    return {
      ...machine,
      ...this.githubVariables(),
      ...this.envContext(stepEnv),
      ...extra,
      PATH: path,
      GITHUB_OUTPUT: files.output,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_STATE: files.state,
    };
  }

  newStepFiles(): StepFiles {
    const dir = join(this.runnerTemp, '_runner_file_commands', String(++this.fileCounter));
    mkdirSync(dir, { recursive: true });
    const files = {
      output: join(dir, 'output'),
      env: join(dir, 'env'),
      path: join(dir, 'path'),
      summary: join(dir, 'summary.md'),
      state: join(dir, 'state'),
    };
    Object.values(files).forEach((file) => writeFileSync(file, ''));
    return files;
  }

  /** Applies what a step wrote to its file commands and returns its outputs. */
  collect(files: StepFiles): { outputs: Record<string, string>; state: Record<string, string> } {
    Object.entries(readFileCommand(files.env)).forEach(([name, value]) => this.setEnv(name, value));
    readFileSync(files.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .forEach((entry) => this.addedPath.unshift(entry.trim()));
    const summary = readFileSync(files.summary, 'utf8');
    if (summary.trim() !== '') this.summaries.push(summary);
    return { outputs: readFileCommand(files.output), state: readFileCommand(files.state) };
  }

  /** Runs a process without blocking the event loop (the local AWS answers from this same process). */
  exec(
    command: string,
    args: string[],
    options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
  ): Promise<ExecResult> {
    if (!existsSync(options.cwd))
      return Promise.reject(new Error(`working directory ${options.cwd} does not exist`));
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const append = (chunk: Buffer): void => {
        output = (output + chunk.toString('utf8')).slice(-MAX_LOG_CHARS);
      };
      child.stdout.on('data', append);
      child.stderr.on('data', append);
      const timeoutMs = options.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        append(Buffer.from(`\n[replay] killed after ${timeoutMs} ms\n`));
      }, timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ exitCode: code ?? 1, output });
      });
    });
  }
}
