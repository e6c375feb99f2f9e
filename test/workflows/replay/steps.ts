import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import {
  evaluateCondition,
  interpolate,
  type EvaluationScope,
  type StatusFunctions,
  type Value,
} from './expressions';
import { JobRuntime } from './job-runtime';
import { actionInputs, errorAnnotations, readActionMetadata, runNodeAction } from './local-action';
import { RUN_STEP_EQUIVALENTS, THIRD_PARTY_EQUIVALENTS } from './local-equivalents';
import type { JobRun, Outcome, StepRecord } from './records';
import { effectivePermissions, grantsIdToken, type Replay, type WorkflowScope } from './workflow-scope';
import type { JobSpec, Scalar, StepSpec } from './workflow-file';

/** `env:` values with their expressions evaluated. */
function evaluateEnv(
  values: Readonly<Record<string, Scalar>> | undefined,
  scope: EvaluationScope,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).map(([name, value]) => [name, interpolate(String(value), scope)]),
  );
}

export interface StepsJob {
  readonly replay: Replay;
  readonly scope: WorkflowScope;
  /** The job's key in the records, e.g. `train-and-deploy/train`. */
  readonly key: string;
  readonly job: JobSpec;
  /** github, vars, secrets, inputs and needs. */
  readonly contexts: Readonly<Record<string, Value>>;
}

/** Runs a job's steps on a fresh runtime, then its post steps, and evaluates its outputs. */
export async function runSteps(stepsJob: StepsJob): Promise<Omit<JobRun, 'key' | 'environment'>> {
  const { replay, scope, key, job, contexts: baseContexts } = stepsJob;
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
    job: {
      status: runtime.failed ? 'failure' : 'success',
      // The workflow file that defines this job (for a called job, the reusable workflow): in a replay,
      // every workflow file is this repository's, at the replayed commit.
      workflow_repository: replay.environment.github.repository ?? null,
      workflow_sha: replay.environment.github.sha ?? null,
      workflow_file_path: relative(replay.environment.repoRoot, scope.file),
    },
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
    workspace: runtime.workspace,
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
  let result: StepResult;
  try {
    const stepEnv = evaluateEnv(step.env, stepEnvScope);
    const scope: EvaluationScope = { contexts: run.contextsFor(stepEnv) };
    inputs = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([name, value]) => [name, interpolate(String(value), scope)]),
    );
    result = await dispatchStep({ run, id, stepEnv, scope, inputs });
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

/** A step whose `if:` passed, with its env, `with:` inputs and evaluation scope worked out. */
interface PreparedStep {
  readonly run: StepRun;
  readonly id: string;
  readonly stepEnv: Record<string, string>;
  readonly scope: EvaluationScope;
  readonly inputs: Record<string, string>;
}

type StepResult = { outputs: Record<string, string>; log: string; error?: string };

function dispatchStep(prepared: PreparedStep): Promise<StepResult> {
  const { step } = prepared.run;
  if (step.run !== undefined) return runShell(prepared);
  if ((step.uses ?? '').startsWith('./')) return runLocalAction(prepared);
  return runThirdParty(prepared);
}

async function runLocalAction({ run, id, stepEnv, scope, inputs }: PreparedStep): Promise<StepResult> {
  const uses = run.step.uses ?? '';
  const metadata = readActionMetadata(resolve(run.runtime.workspace, uses));
  const values = actionInputs(metadata, inputs, scope);
  const result = await runNodeAction({ job: run.runtime, metadata, inputs: values, stepEnv, stepId: id });
  if (result.exitCode === 0) return { outputs: result.outputs, log: result.log };
  const errors = errorAnnotations(result.log);
  return {
    outputs: result.outputs,
    log: result.log,
    error: `${uses} exited with ${result.exitCode}: ${errors.join(' | ') || result.log.slice(-2000)}`,
  };
}

async function runThirdParty({ run, inputs }: PreparedStep): Promise<StepResult> {
  const uses = run.step.uses ?? '';
  const action = uses.replace(/@.*$/, '');
  const equivalent = THIRD_PARTY_EQUIVALENTS[action];
  if (!equivalent) {
    throw new Error(
      `no local equivalent for '${uses}' (known: ${Object.keys(THIRD_PARTY_EQUIVALENTS).join(', ')})`,
    );
  }
  const unknown = Object.keys(inputs).filter((name) => !equivalent.inputs.includes(name));
  if (unknown.length > 0) {
    throw new Error(`${action}: input(s) ${unknown.join(', ')} are not known to its local equivalent`);
  }
  const outputs = await equivalent.run({ job: run.runtime, inputs, idTokenWritable: run.idTokenWritable });
  return { outputs, log: '' };
}

async function runShell({ run, id, stepEnv, scope }: PreparedStep): Promise<StepResult> {
  const { runtime, step, job } = run;
  const script = step.run ?? '';
  const directory = step['working-directory'] ?? job.defaults?.run?.['working-directory'] ?? '.';
  const cwd = resolve(runtime.workspace, interpolate(directory, scope));
  const replacement = step.id === undefined ? undefined : RUN_STEP_EQUIVALENTS[step.id];
  if (replacement) {
    if (!script.includes(replacement.mustContain)) {
      throw new Error(
        `step '${step.id}' is replaced by the replay on the assumption that it runs '${replacement.mustContain}'; it now runs: ${script}`,
      );
    }
    replacement.run(runtime, cwd);
    return { outputs: {}, log: `[replay] replaced by its local equivalent: ${replacement.mustContain}` };
  }
  if (/\bnpm (ci|install)\b/.test(script)) {
    throw new Error(
      `a run step installs npm packages; give it id 'install' so the replay keeps the shared node_modules: ${script}`,
    );
  }
  const shell = step.shell ?? job.defaults?.run?.shell ?? 'bash';
  if (shell !== 'bash') throw new Error(`shell '${shell}' is not supported by the replay (bash only)`);
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
  const where = relative(runtime.workspace, cwd) || '.';
  return {
    outputs,
    log: result.output,
    error: `run step exited with ${result.exitCode} in ${where}: ${result.output.slice(-2000)}`,
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
