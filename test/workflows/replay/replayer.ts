import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { evaluateCondition, type StatusFunctions, type Value } from './expressions';
import type { ReplayEnvironment } from './job-runtime';
import { seedCache } from './local-equivalents';
import type { JobRecord, JobRun, ReplayResult } from './records';
import { callReusableWorkflow } from './reusable-workflow';
import type { Replay, WorkflowScope } from './workflow-scope';
import { runSteps } from './steps';
import { headCommit } from './workspace';
import {
  environmentName,
  jobNeeds,
  jobOrder,
  loadWorkflow,
  type JobSpec,
  type Scalar,
  type WorkflowSpec,
} from './workflow-file';

export {
  assertReplaySucceeded,
  type JobRecord,
  type Outcome,
  type ReplayResult,
  type StepRecord,
} from './records';

/** The repository name the replay gives `github.repository` (checkout accepts only this one). */
const REPLAY_REPOSITORY = 'local/sagemaker-mlops-actions';

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
  /**
   * Commits other than the working tree's that `actions/checkout` with `ref:` may ask for (e.g. the pull
   * request's base), each as edits the test makes to a copy of the working tree. Any other ref fails.
   */
  readonly commits?: Readonly<Record<string, (checkout: string) => void>>;
  /** Progress lines (job and step names); silent by default. */
  readonly log?: (line: string) => void;
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
    commits: options.commits ?? {},
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
    return { ...base, ...(await callReusableWorkflow({ replay, scope, jobId, job, contexts, runJobs })) };
  return { ...base, ...(await runSteps({ replay, scope, key, job, contexts })) };
}
