import { readFileSync } from 'node:fs';

import { parse } from 'yaml';

/** The parts of the workflow syntax the replay understands; anything else it meets, it rejects. */
export type Scalar = string | number | boolean;

export interface StepSpec {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Readonly<Record<string, Scalar>>;
  readonly env?: Readonly<Record<string, Scalar>>;
  readonly if?: string | boolean;
  readonly shell?: string;
  readonly 'working-directory'?: string;
  readonly 'continue-on-error'?: boolean;
  readonly 'timeout-minutes'?: number;
}

export interface JobSpec {
  readonly name?: string;
  readonly needs?: string | readonly string[];
  readonly if?: string | boolean;
  readonly 'runs-on'?: string;
  readonly environment?: string | { readonly name: string; readonly url?: string };
  readonly env?: Readonly<Record<string, Scalar>>;
  readonly defaults?: { readonly run?: { readonly 'working-directory'?: string; readonly shell?: string } };
  readonly outputs?: Readonly<Record<string, string>>;
  readonly steps?: readonly StepSpec[];
  readonly uses?: string;
  readonly with?: Readonly<Record<string, Scalar>>;
  readonly secrets?: Readonly<Record<string, string>> | 'inherit';
  readonly permissions?: unknown;
  readonly concurrency?: unknown;
  readonly 'timeout-minutes'?: number;
}

export interface WorkflowCallInput {
  readonly type: 'string' | 'boolean' | 'number';
  readonly required?: boolean;
  readonly default?: Scalar;
  readonly description?: string;
}

export interface WorkflowCallSpec {
  readonly inputs?: Readonly<Record<string, WorkflowCallInput>>;
  readonly secrets?: Readonly<Record<string, { readonly required?: boolean }>>;
  readonly outputs?: Readonly<Record<string, { readonly value: string }>>;
}

export interface WorkflowSpec {
  readonly name?: string;
  readonly on: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, Scalar>>;
  readonly permissions?: unknown;
  readonly concurrency?: unknown;
  readonly jobs: Readonly<Record<string, JobSpec>>;
}

/** Job keys the replay ignores on purpose: they schedule or restrict a job but do not change its steps. */
const IGNORED_JOB_KEYS = ['name', 'runs-on', 'permissions', 'concurrency', 'timeout-minutes'];
const HANDLED_JOB_KEYS = [
  'needs',
  'if',
  'environment',
  'env',
  'defaults',
  'outputs',
  'steps',
  'uses',
  'with',
  'secrets',
];
const HANDLED_STEP_KEYS = ['id', 'name', 'uses', 'run', 'with', 'env', 'if', 'shell', 'working-directory'];
const IGNORED_STEP_KEYS = ['continue-on-error', 'timeout-minutes'];

export function loadWorkflow(file: string): WorkflowSpec {
  const document = parse(readFileSync(file, 'utf8')) as unknown;
  if (!isRecord(document) || document.on === undefined || !isRecord(document.jobs)) {
    throw new Error(`${file}: expected a workflow with 'on' and 'jobs'`);
  }
  for (const [jobId, job] of Object.entries(document.jobs)) checkJob(file, jobId, job);
  return { ...document, on: triggers(document.on) } as unknown as WorkflowSpec;
}

/** `on: push`, `on: [push, pull_request]` and the map form, all as a map of event → settings. */
function triggers(on: unknown): Record<string, unknown> {
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((event: unknown) => [String(event), null]));
  if (isRecord(on)) return on;
  throw new Error(`'on' must be an event name, a list or a map, got ${JSON.stringify(on)}`);
}

function checkJob(file: string, jobId: string, job: unknown): void {
  if (!isRecord(job)) throw new Error(`${file}: job '${jobId}' is not a map`);
  const unknownKeys = Object.keys(job).filter(
    (key) => ![...IGNORED_JOB_KEYS, ...HANDLED_JOB_KEYS].includes(key),
  );
  if (unknownKeys.length > 0) {
    throw new Error(
      `${file}: job '${jobId}' uses ${unknownKeys.join(', ')}, which the replay does not support`,
    );
  }
  const steps: unknown[] = Array.isArray(job.steps) ? job.steps : [];
  steps.forEach((step, index) => {
    if (!isRecord(step)) throw new Error(`${file}: job '${jobId}' step ${index + 1} is not a map`);
    const stepKeys = Object.keys(step).filter(
      (key) => ![...HANDLED_STEP_KEYS, ...IGNORED_STEP_KEYS].includes(key),
    );
    if (stepKeys.length > 0) {
      throw new Error(
        `${file}: job '${jobId}' step ${index + 1} uses ${stepKeys.join(', ')}, which the replay does not support`,
      );
    }
    if ((step.uses === undefined) === (step.run === undefined)) {
      throw new Error(`${file}: job '${jobId}' step ${index + 1} must have exactly one of uses/run`);
    }
  });
}

export function workflowCall(workflow: WorkflowSpec, file: string): WorkflowCallSpec {
  const call = workflow.on.workflow_call;
  if (call === undefined)
    throw new Error(`${file} has no 'on: workflow_call' trigger, so it cannot be called`);
  return (call ?? {}) as WorkflowCallSpec;
}

export function jobNeeds(job: JobSpec): string[] {
  if (job.needs === undefined) return [];
  return typeof job.needs === 'string' ? [job.needs] : [...job.needs];
}

export function environmentName(job: JobSpec): string | undefined {
  if (job.environment === undefined) return undefined;
  return typeof job.environment === 'string' ? job.environment : job.environment.name;
}

/** Job ids in an order where every job comes after the jobs it needs. */
export function jobOrder(workflow: WorkflowSpec, file: string): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (jobId: string): void => {
    if (order.includes(jobId)) return;
    const job = workflow.jobs[jobId];
    if (!job) throw new Error(`${file}: a job needs '${jobId}', which does not exist`);
    if (visiting.has(jobId)) throw new Error(`${file}: job '${jobId}' is part of a needs cycle`);
    visiting.add(jobId);
    jobNeeds(job).forEach(visit);
    order.push(jobId);
  };
  Object.keys(workflow.jobs).forEach(visit);
  return order;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
