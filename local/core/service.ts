import type { StateStore } from '../state/store';
import type { CallerIdentity } from './caller';
import type { ServiceDeps } from './deps';

/** What every operation handler learns about the request besides its input. */
export interface RequestContext {
  readonly region: string;
  readonly accountId: string;
  readonly requestId: string;
  /** Who signed the request (local/core/caller.ts); absent for unsigned and internal calls. */
  readonly caller?: CallerIdentity;
}

/** One operation: typed input (already parsed by the protocol layer) → output (serialized by it). */
export type OperationHandler = (
  input: Record<string, unknown>,
  ctx: RequestContext,
) => Promise<unknown> | unknown;

/**
 * A service provider: the service logic, free of wire formats. The protocol layer (local/protocols/)
 * turns HTTP into `{operation, input}` and the result (or an AwsError) back into the service's wire shape.
 */
export interface ServiceProvider {
  /** Signing name / endpoint prefix, e.g. `sagemaker`, `ssm`, `s3`, `lambda`, `cloudformation`, `runtime.sagemaker`. */
  readonly name: string;
  /**
   * The botocore service model the provider follows (local/models/<model>.json): the protocol layer
   * decodes, validates and encodes its operations from it. Absent: a hand-written codec (being ported).
   */
  readonly model?: string;
  readonly operations: Readonly<Record<string, OperationHandler>>;
  /** Called once when the server starts (e.g. to mark executions interrupted by a crash as Failed). */
  start?(): Promise<void> | void;
  /** Called on shutdown: stop child processes, flush state. */
  stop?(): Promise<void> | void;
}

/** Shared by all providers of one local AWS instance. */
export interface LocalAwsEnvironment {
  readonly region: string;
  readonly accountId: string;
  readonly stateDir: string;
  readonly store: StateStore;
  /** `http://127.0.0.1:<port>`; known once the server listens. */
  endpoint(): string;
}

export const LOCAL_ACCOUNT_ID = '000000000000';

/** How the registry builds a provider: one factory per service, given the environment and the shared deps. */
export type ProviderFactory = (env: LocalAwsEnvironment, deps: ServiceDeps) => ServiceProvider;
