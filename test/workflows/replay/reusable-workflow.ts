import { resolve } from 'node:path';

import { evaluateTemplate, interpolate, isTruthy, type EvaluationScope, type Value } from './expressions';
import type { JobRecord, JobRun } from './records';
import { effectivePermissions, type Replay, type WorkflowScope } from './workflow-scope';
import { loadWorkflow, workflowCall, type JobSpec, type Scalar } from './workflow-file';

/** Runs a workflow file's jobs (the replayer's scheduler, passed in to keep the modules acyclic). */
export type RunJobs = (replay: Replay, scope: WorkflowScope) => Promise<Record<string, JobRecord>>;

export interface ReusableCall {
  readonly replay: Replay;
  /** The calling workflow. */
  readonly scope: WorkflowScope;
  readonly jobId: string;
  readonly job: JobSpec;
  /** The contexts `with:` and `secrets:` are evaluated in. */
  readonly contexts: Record<string, Value>;
  readonly runJobs: RunJobs;
}

/**
 * A job with `uses: ./.github/workflows/<file>`: its `with:` and `secrets:` checked against the called
 * workflow's declarations, its jobs run, its declared outputs evaluated over their results.
 */
export async function callReusableWorkflow(call: ReusableCall): Promise<Omit<JobRun, 'key' | 'environment'>> {
  const { replay, scope, jobId, job, contexts } = call;
  const uses = job.uses ?? '';
  if (!uses.startsWith('./.github/workflows/'))
    throw new Error(
      `${scope.file}: job '${jobId}' calls '${uses}'; the replay follows only ./.github/workflows/ files`,
    );
  const file = uses.slice(2);
  const spec = loadWorkflow(resolve(replay.environment.repoRoot, file));
  const declared = workflowCall(spec, file);
  const evaluationScope: EvaluationScope = { contexts };
  const inputs = callInputs(file, declared.inputs ?? {}, job.with ?? {}, evaluationScope);
  const secrets = callSecrets(file, declared.secrets ?? {}, job.secrets, scope, evaluationScope);
  const callerPermissions = effectivePermissions(job, scope);
  const inner = await call.runJobs(replay, {
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
    Object.entries(declared.outputs ?? {}).map(([name, output]) => [
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
