import type { Value } from './expressions';
import type { ReplayEnvironment } from './job-runtime';
import type { JobRecord } from './records';
import type { JobSpec, WorkflowSpec } from './workflow-file';

/** The scope a workflow file's jobs run in: its inputs and secrets, and the permissions its caller grants. */
export interface WorkflowScope {
  readonly file: string;
  readonly spec: WorkflowSpec;
  readonly inputs: Readonly<Record<string, Value>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly vars: Readonly<Record<string, string>>;
  /** The calling job's effective permissions (reusable workflows cannot exceed them). */
  readonly callerPermissions?: unknown;
  readonly keyPrefix: string;
}

export interface Replay {
  readonly environment: ReplayEnvironment;
  readonly records: JobRecord[];
  /** Counts job starts and ends, so records show which job ran after which. */
  clock: number;
}

/** A job's permissions: its own, else its workflow's, else (in a called workflow) its caller's. */
export function effectivePermissions(job: JobSpec, scope: WorkflowScope): unknown {
  return job.permissions ?? scope.spec.permissions ?? scope.callerPermissions;
}

/** Whether permissions let a job request an OIDC token (what configure-aws-credentials needs). */
export function grantsIdToken(permissions: unknown): boolean {
  if (permissions === 'write-all') return true;
  return (
    typeof permissions === 'object' &&
    permissions !== null &&
    (permissions as Record<string, unknown>)['id-token'] === 'write'
  );
}
