import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import {
  evaluateCondition,
  evaluateTemplate,
  interpolate,
  isTruthy,
  type EvaluationScope,
  type StatusFunctions,
  type Value,
} from './expressions';
import { JobRuntime, type ReplayEnvironment } from './job-runtime';
import { actionInputs, errorAnnotations, readActionMetadata, runNodeAction } from './local-action';
import { RUN_STEP_EQUIVALENTS, seedCache, THIRD_PARTY_EQUIVALENTS } from './local-equivalents';
import { headCommit } from './workspace';
import {
  environmentName,
  jobNeeds,
  jobOrder,
  loadWorkflow,
  workflowCall,
  type JobSpec,
  type Scalar,
  type StepSpec,
  type WorkflowSpec,
} from './workflow-file';

/** The repository name the replay gives `github.repository` (checkout accepts only this one). */
export const REPLAY_REPOSITORY = 'local/sagemaker-mlops-actions';

export interface ReplayEvent {
  /** `push`, `pull_request`, `workflow_dispatch`, ... */
  readonly name: string;
  readonly ref?: string;
  readonly payload?: Readonly<Record<string, Value>>;
  /** workflow_dispatch inputs (declared defaults fill the rest). */
  readonly inputs?: Readonly<Record<string, Value>>;
}

export interface ReplayOptions {
  /** The workflow file, relative to repoRoot. */
  readonly workflow: string;
  readonly repoRoot: string;
  /** A fresh temporary folder the replay may fill (workspaces, artifacts, caches). */
  readonly workDir: string;
  readonly awsEndpoint: string;
  readonly event: ReplayEvent;
  /** `github.sha`; default: the working tree's HEAD commit. */
  readonly sha?: string;
  /** `github.run_attempt`: 2 and up replay "Re-run jobs". Default 1. */
  readonly runAttempt?: number;
  readonly vars?: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, string>>;
  /** Replay only these top-level jobs (each one's needs must be among them). Default: all. */
  readonly jobs?: readonly string[];
  /** Where `github.api_url` points (e.g. a fake GitHub API the test runs). */
  readonly githubApiUrl?: string;
  /** Caches present before the run, e.g. metrics saved by an earlier run on the base branch. */
  readonly caches?: ReadonlyArray<{ readonly key: string; readonly path: string; readonly source: string }>;
  /** Progress lines (job and step names); silent by default. */
  readonly log?: (line: string) => void;
}

export type Outcome = 'success' | 'failure' | 'skipped';

export interface StepRecord {
  readonly job: string;
  readonly id?: string;
  readonly name: string;
  readonly uses?: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly outcome: Outcome;
  readonly outputs: Readonly<Record<string, string>>;
  readonly log: string;
  readonly error?: string;
}

export interface JobRecord {
  readonly key: string;
  readonly environment?: string;
  readonly result: Outcome;
  readonly outputs: Readonly<Record<string, string>>;
  readonly steps: readonly StepRecord[];
  readonly summary: string;
  /** When the job started and finished, in the replay's event order (1, 2, ...). */
  readonly started: number;
  readonly finished: number;
}

/** What a job produces; the scheduler adds when it started and finished. */
type JobRun = Omit<JobRecord, 'started' | 'finished'>;

export interface ReplayResult {
  readonly jobs: readonly JobRecord[];
}

/** The scope a workflow file's jobs run in: its inputs and secrets, and the permissions its caller grants. */
interface WorkflowScope {
  readonly file: string;
  readonly spec: WorkflowSpec;
  readonly inputs: Readonly<Record<string, Value>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly vars: Readonly<Record<string, string>>;
  /** The calling job's effective permissions (reusable workflows cannot exceed them). */
  readonly callerPermissions?: unknown;
  readonly keyPrefix: string;
}

interface Replay {
  readonly environment: ReplayEnvironment;
  readonly records: JobRecord[];
  /** Counts job starts and ends, so records show which job ran after which. */
  clock: number;
}

/**
 * Replays a workflow file on this machine: jobs in `needs` order, reusable workflows followed,
 * `uses: ./...` actions run from their committed bundles, third-party actions and a few `run:`
 * steps mapped to local equivalents (see local-equivalents.ts), every `${{ }}` evaluated.
 */
export async function replayWorkflow(options: ReplayOptions): Promise<ReplayResult> {
  const spec = loadWorkflow(resolve(options.repoRoot, options.workflow));
  const github = githubContext(options, spec);
  mkdirSync(options.workDir, { recursive: true });
  writeFileSync(join(options.workDir, 'event.json'), JSON.stringify(github.event));
  const environment: ReplayEnvironment = {
    repoRoot: options.repoRoot,
    workDir: options.workDir,
    artifactsDir: join(options.workDir, 'artifacts'),
    cacheDir: join(options.workDir, 'cache'),
    awsEndpoint: options.awsEndpoint,
    github,
    log: options.log ?? (() => undefined),
  };
  (options.caches ?? []).forEach((entry) => seedCache(environment.cacheDir, entry));
  const replay: Replay = { environment, records: [], clock: 0 };
  const scope: WorkflowScope = {
    file: options.workflow,
    spec,
    inputs: dispatchInputs(spec, options.event),
    secrets: options.secrets ?? {},
    vars: options.vars ?? {},
    keyPrefix: '',
  };
  await runJobs(replay, scope, options.jobs);
  return { jobs: replay.records };
}

function githubContext(options: ReplayOptions, spec: WorkflowSpec): Record<string, Value> {
  const payload = options.event.payload ?? {};
  const pullRequest = (payload.pull_request ?? {}) as Record<string, Value>;
  const branch = (side: string): string =>
    String(((pullRequest[side] ?? {}) as Record<string, Value>).ref ?? '');
  const ref = options.event.ref ?? 'refs/heads/main';
  return {
    event_name: options.event.name,
    event: { ...payload, ...(options.event.inputs ? { inputs: options.event.inputs } : {}) },
    sha: options.sha ?? headCommit(options.repoRoot),
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    base_ref: branch('base'),
    head_ref: branch('head'),
    repository: REPLAY_REPOSITORY,
    repository_owner: REPLAY_REPOSITORY.split('/')[0] ?? '',
    run_id: '1',
    run_number: '1',
    run_attempt: String(options.runAttempt ?? 1),
    actor: 'replay',
    triggering_actor: 'replay',
    server_url: 'https://github.com',
    api_url: options.githubApiUrl ?? 'http://127.0.0.1:9/no-github-api-in-this-replay',
    workflow: spec.name ?? options.workflow,
    token: 'replay-token',
  };
}

function dispatchInputs(spec: WorkflowSpec, event: ReplayEvent): Record<string, Value> {
  const declared = (spec.on.workflow_dispatch ?? {}) as { inputs?: Record<string, { default?: Scalar }> };
  const inputs: Record<string, Value> = {};
  for (const [name, input] of Object.entries(declared.inputs ?? {})) inputs[name] = input.default ?? '';
  for (const [name, value] of Object.entries(event.inputs ?? {})) {
    if (!(name in inputs))
      throw new Error(`workflow_dispatch input '${name}' is not declared by the workflow`);
    inputs[name] = value;
  }
  return inputs;
}

/**
 * Runs the selected jobs like GitHub: each starts once the jobs it needs have finished, so independent
 * jobs run at the same time.
 */
async function runJobs(
  replay: Replay,
  scope: WorkflowScope,
  only?: readonly string[],
): Promise<Record<string, JobRecord>> {
  const done: Record<string, JobRecord> = {};
  const pending = jobOrder(scope.spec, scope.file).filter((jobId) => !only || only.includes(jobId));
  for (const jobId of pending) {
    const missing = jobNeeds(scope.spec.jobs[jobId] as JobSpec).filter((need) => !pending.includes(need));
    if (missing.length > 0)
      throw new Error(
        `${scope.file}: job '${jobId}' needs ${missing.join(', ')}, which the replay was told to leave out`,
      );
  }
  const running = new Map<string, Promise<void>>();
  while (pending.length > 0 || running.size > 0) {
    const ready = pending.filter((jobId) =>
      jobNeeds(scope.spec.jobs[jobId] as JobSpec).every((need) => need in done),
    );
    for (const jobId of ready) {
      pending.splice(pending.indexOf(jobId), 1);
      const started = ++replay.clock;
      const run = runJob(replay, scope, jobId, scope.spec.jobs[jobId] as JobSpec, done).then((record) => {
        done[jobId] = { ...record, started, finished: ++replay.clock };
        replay.records.push(done[jobId]);
        running.delete(jobId);
      });
      running.set(jobId, run);
    }
    try {
      await Promise.race(running.values());
    } catch (error) {
      await Promise.allSettled(running.values());
      throw error;
    }
  }
  return done;
}

function needsContext(job: JobSpec, done: Readonly<Record<string, JobRecord>>): Record<string, Value> {
  return Object.fromEntries(
    jobNeeds(job).map((need) => [
      need,
      { result: done[need]?.result ?? 'skipped', outputs: { ...done[need]?.outputs } },
    ]),
  );
}

function needsStatus(job: JobSpec, done: Readonly<Record<string, JobRecord>>): StatusFunctions {
  const results = jobNeeds(job).map((need) => done[need]?.result);
  return {
    success: () => results.every((result) => result === 'success'),
    failure: () => results.some((result) => result === 'failure'),
    cancelled: () => false,
  };
}

async function runJob(
  replay: Replay,
  scope: WorkflowScope,
  jobId: string,
  job: JobSpec,
  done: Readonly<Record<string, JobRecord>>,
): Promise<JobRun> {
  const key = `${scope.keyPrefix}${jobId}`;
  const environment = environmentName(job);
  const base = { key, ...(environment === undefined ? {} : { environment }) };
  const contexts = {
    github: replay.environment.github,
    vars: scope.vars,
    secrets: scope.secrets,
    inputs: scope.inputs,
    needs: needsContext(job, done),
  };
  if (!evaluateCondition(job.if, { contexts, status: needsStatus(job, done) })) {
    return { ...base, result: 'skipped', outputs: {}, steps: [], summary: '' };
  }
  replay.environment.log(`[replay] job ${key}${environment ? ` (environment ${environment})` : ''}`);
  if (job.uses !== undefined)
    return { ...base, ...(await callReusableWorkflow(replay, scope, jobId, job, contexts)) };
  return { ...base, ...(await runSteps(replay, scope, key, job, contexts)) };
}

function effectivePermissions(job: JobSpec, scope: WorkflowScope): unknown {
  return job.permissions ?? scope.spec.permissions ?? scope.callerPermissions;
}

function grantsIdToken(permissions: unknown): boolean {
  if (permissions === 'write-all') return true;
  return (
    typeof permissions === 'object' &&
    permissions !== null &&
    (permissions as Record<string, unknown>)['id-token'] === 'write'
  );
}

function evaluateEnv(
  values: Readonly<Record<string, Scalar>> | undefined,
  scope: EvaluationScope,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).map(([name, value]) => [name, interpolate(String(value), scope)]),
  );
}

async function runSteps(
  replay: Replay,
  scope: WorkflowScope,
  key: string,
  job: JobSpec,
  baseContexts: Readonly<Record<string, Value>>,
): Promise<Omit<JobRun, 'key' | 'environment'>> {
  const workflowEnv = evaluateEnv(scope.spec.env, { contexts: baseContexts });
  const jobEnv = {
    ...workflowEnv,
    ...evaluateEnv(job.env, { contexts: { ...baseContexts, env: workflowEnv } }),
  };
  const runtime = new JobRuntime(key, replay.environment, jobEnv);
  const permissions = effectivePermissions(job, scope);
  const idTokenWritable =
    grantsIdToken(permissions) &&
    (scope.callerPermissions === undefined || grantsIdToken(scope.callerPermissions));
  const records: StepRecord[] = [];
  const contextsFor = (stepEnv: Record<string, string> = {}): Record<string, Value> => ({
    ...baseContexts,
    github: { ...replay.environment.github, workspace: runtime.workspace, job: key },
    env: runtime.envContext(stepEnv),
    steps: runtime.steps,
    runner: { temp: runtime.runnerTemp, os: 'Linux', arch: 'X64', name: 'replay' },
    job: { status: runtime.failed ? 'failure' : 'success' },
  });
  const status: StatusFunctions = {
    success: () => !runtime.failed,
    failure: () => runtime.failed,
    cancelled: () => false,
  };
  for (const [index, step] of (job.steps ?? []).entries()) {
    records.push(await runStep({ runtime, step, index, job, contextsFor, status, idTokenWritable }));
  }
  for (const post of [...runtime.postSteps].reverse()) {
    try {
      await post.run();
    } catch (error) {
      runtime.failed = true;
      records.push({
        job: key,
        name: post.name,
        inputs: {},
        outcome: 'failure',
        outputs: {},
        log: '',
        error: message(error),
      });
    }
  }
  const outputsScope = { contexts: contextsFor() };
  const outputs = Object.fromEntries(
    Object.entries(job.outputs ?? {}).map(([name, value]) => [name, interpolate(value, outputsScope)]),
  );
  return {
    result: runtime.failed ? 'failure' : 'success',
    outputs,
    steps: records,
    summary: runtime.summaries.join('\n'),
  };
}

interface StepRun {
  readonly runtime: JobRuntime;
  readonly step: StepSpec;
  readonly index: number;
  readonly job: JobSpec;
  readonly contextsFor: (stepEnv?: Record<string, string>) => Record<string, Value>;
  readonly status: StatusFunctions;
  readonly idTokenWritable: boolean;
}

function stepName(step: StepSpec): string {
  return step.name ?? (step.uses ? step.uses : `Run ${(step.run ?? '').split('\n')[0]}`);
}

async function runStep(run: StepRun): Promise<StepRecord> {
  const { runtime, step } = run;
  const id = step.id ?? `__step${run.index + 1}`;
  const base = {
    job: runtime.key,
    ...(step.id ? { id: step.id } : {}),
    name: stepName(step),
    ...(step.uses ? { uses: step.uses } : {}),
  };
  const stepEnvScope = { contexts: run.contextsFor(), status: run.status };
  if (!evaluateCondition(step.if, stepEnvScope)) {
    runtime.steps[id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
    return { ...base, inputs: {}, outcome: 'skipped', outputs: {}, log: '' };
  }
  runtime.replay.log(`[replay]   step ${base.name}`);
  let inputs: Record<string, string> = {};
  let result: { outputs: Record<string, string>; log: string; error?: string };
  try {
    const stepEnv = evaluateEnv(step.env, stepEnvScope);
    const scope: EvaluationScope = { contexts: run.contextsFor(stepEnv) };
    inputs = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([name, value]) => [name, interpolate(String(value), scope)]),
    );
    result = await dispatchStep(run, id, stepEnv, scope, inputs);
  } catch (error) {
    result = { outputs: {}, log: '', error: message(error) };
  }
  const outcome: Outcome = result.error === undefined ? 'success' : 'failure';
  const continueOnError = step['continue-on-error'] === true;
  if (outcome === 'failure' && !continueOnError) runtime.failed = true;
  runtime.steps[id] = { outputs: result.outputs, outcome, conclusion: continueOnError ? 'success' : outcome };
  return {
    ...base,
    inputs,
    outcome,
    outputs: result.outputs,
    log: result.log,
    ...(result.error ? { error: result.error } : {}),
  };
}

async function dispatchStep(
  run: StepRun,
  id: string,
  stepEnv: Record<string, string>,
  scope: EvaluationScope,
  inputs: Record<string, string>,
): Promise<{ outputs: Record<string, string>; log: string; error?: string }> {
  const { runtime, step } = run;
  if (step.run !== undefined) return runShell(run, id, stepEnv, scope);
  const uses = step.uses ?? '';
  if (uses.startsWith('./')) {
    const metadata = readActionMetadata(resolve(runtime.workspace, uses));
    const values = actionInputs(metadata, inputs, scope);
    const result = await runNodeAction({ job: runtime, metadata, inputs: values, stepEnv, stepId: id });
    if (result.exitCode === 0) return { outputs: result.outputs, log: result.log };
    const errors = errorAnnotations(result.log);
    return {
      outputs: result.outputs,
      log: result.log,
      error: `${uses} exited with ${result.exitCode}: ${errors.join(' | ') || result.log.slice(-2000)}`,
    };
  }
  const action = uses.replace(/@.*$/, '');
  const equivalent = THIRD_PARTY_EQUIVALENTS[action];
  if (!equivalent)
    throw new Error(
      `no local equivalent for '${uses}' (known: ${Object.keys(THIRD_PARTY_EQUIVALENTS).join(', ')})`,
    );
  const unknown = Object.keys(inputs).filter((name) => !equivalent.inputs.includes(name));
  if (unknown.length > 0)
    throw new Error(`${action}: input(s) ${unknown.join(', ')} are not known to its local equivalent`);
  const outputs = await equivalent.run({ job: runtime, inputs, idTokenWritable: run.idTokenWritable });
  return { outputs, log: '' };
}

async function runShell(
  run: StepRun,
  id: string,
  stepEnv: Record<string, string>,
  scope: EvaluationScope,
): Promise<{ outputs: Record<string, string>; log: string; error?: string }> {
  const { runtime, step, job } = run;
  const script = step.run ?? '';
  const replacement = step.id === undefined ? undefined : RUN_STEP_EQUIVALENTS[step.id];
  if (replacement) {
    if (!script.includes(replacement.mustContain)) {
      throw new Error(
        `step '${step.id}' is replaced by the replay on the assumption that it runs '${replacement.mustContain}'; it now runs: ${script}`,
      );
    }
    replacement.run(runtime);
    return { outputs: {}, log: `[replay] replaced by its local equivalent: ${replacement.mustContain}` };
  }
  const shell = step.shell ?? job.defaults?.run?.shell ?? 'bash';
  if (shell !== 'bash') throw new Error(`shell '${shell}' is not supported by the replay (bash only)`);
  const directory = step['working-directory'] ?? job.defaults?.run?.['working-directory'] ?? '.';
  const cwd = resolve(runtime.workspace, interpolate(directory, scope));
  const scriptFile = join(runtime.runnerTemp, `${id}.sh`);
  writeFileSync(scriptFile, interpolate(script, scope));
  const files = runtime.newStepFiles();
  const result = await runtime.exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], {
    cwd,
    env: runtime.processEnv(stepEnv, files),
    ...(step['timeout-minutes'] ? { timeoutMs: step['timeout-minutes'] * 60_000 } : {}),
  });
  const { outputs } = runtime.collect(files);
  if (result.exitCode === 0) return { outputs, log: result.output };
  return {
    outputs,
    log: result.output,
    error: `run step exited with ${result.exitCode} in ${relative(runtime.workspace, cwd) || '.'}: ${result.output.slice(-2000)}`,
  };
}

async function callReusableWorkflow(
  replay: Replay,
  scope: WorkflowScope,
  jobId: string,
  job: JobSpec,
  contexts: Record<string, Value>,
): Promise<Omit<JobRun, 'key' | 'environment'>> {
  const uses = job.uses ?? '';
  if (!uses.startsWith('./.github/workflows/'))
    throw new Error(
      `${scope.file}: job '${jobId}' calls '${uses}'; the replay follows only ./.github/workflows/ files`,
    );
  const file = uses.slice(2);
  const spec = loadWorkflow(resolve(replay.environment.repoRoot, file));
  const call = workflowCall(spec, file);
  const evaluationScope: EvaluationScope = { contexts };
  const inputs = callInputs(file, call.inputs ?? {}, job.with ?? {}, evaluationScope);
  const secrets = callSecrets(file, call.secrets ?? {}, job.secrets, scope, evaluationScope);
  const callerPermissions = effectivePermissions(job, scope);
  const inner = await runJobs(replay, {
    file,
    spec,
    inputs,
    secrets,
    vars: scope.vars,
    ...(callerPermissions === undefined ? {} : { callerPermissions }),
    keyPrefix: `${scope.keyPrefix}${jobId}/`,
  });
  const jobsContext = Object.fromEntries(
    Object.entries(inner).map(([id, record]) => [
      id,
      { result: record.result, outputs: { ...record.outputs } },
    ]),
  );
  const outputScope: EvaluationScope = { contexts: { ...contexts, inputs, jobs: jobsContext } };
  const outputs = Object.fromEntries(
    Object.entries(call.outputs ?? {}).map(([name, output]) => [
      name,
      interpolate(output.value, outputScope),
    ]),
  );
  const failed = Object.values(inner).some((record) => record.result === 'failure');
  return { result: failed ? 'failure' : 'success', outputs, steps: [], summary: '' };
}

function callInputs(
  file: string,
  declared: NonNullable<ReturnType<typeof workflowCall>['inputs']>,
  given: Readonly<Record<string, Scalar>>,
  scope: EvaluationScope,
): Record<string, Value> {
  const unknown = Object.keys(given).filter((name) => !(name in declared));
  if (unknown.length > 0)
    throw new Error(`${file}: input(s) ${unknown.join(', ')} are not declared under on.workflow_call.inputs`);
  const inputs: Record<string, Value> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const raw = name in given ? evaluateTemplate(String(given[name]), scope) : (spec.default ?? null);
    if (raw === null && spec.required) throw new Error(`${file}: required input '${name}' was not provided`);
    inputs[name] = coerceInput(file, name, spec.type, raw);
  }
  return inputs;
}

function coerceInput(file: string, name: string, type: string, raw: Value): Value {
  if (raw === null) return type === 'boolean' ? false : type === 'number' ? 0 : '';
  if (type === 'string') return typeof raw === 'string' ? raw : JSON.stringify(raw);
  if (type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new Error(`${file}: input '${name}' is a boolean, got ${JSON.stringify(raw)}`);
  }
  const number = Number(raw);
  if (type !== 'number' || Number.isNaN(number))
    throw new Error(`${file}: input '${name}' (type ${type}) got ${JSON.stringify(raw)}`);
  return number;
}

function callSecrets(
  file: string,
  declared: Readonly<Record<string, { readonly required?: boolean }>>,
  given: JobSpec['secrets'],
  caller: WorkflowScope,
  scope: EvaluationScope,
): Record<string, string> {
  if (given === 'inherit') return { ...caller.secrets };
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(given ?? {})) {
    if (!(name in declared))
      throw new Error(`${file}: secret '${name}' is not declared under on.workflow_call.secrets`);
    secrets[name] = interpolate(value, scope);
  }
  const missing = Object.entries(declared).filter(
    ([name, spec]) => spec.required && !isTruthy(secrets[name] ?? ''),
  );
  if (missing.length > 0)
    throw new Error(`${file}: required secret(s) ${missing.map(([name]) => name).join(', ')} not provided`);
  return secrets;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Throws with the failing step's error and log tail when any job of the replay failed. */
export function assertReplaySucceeded(result: ReplayResult): void {
  const failed = result.jobs.flatMap((job) => job.steps).find((step) => step.outcome === 'failure');
  const failedJob = result.jobs.find((job) => job.result === 'failure');
  if (!failed && !failedJob) return;
  if (!failed) throw new Error(`job ${failedJob?.key} failed`);
  throw new Error(
    `job ${failed.job}, step '${failed.name}' failed: ${failed.error ?? ''}\n--- log tail ---\n${failed.log.slice(-4000)}`,
  );
}
