import type { ResourceState } from './model';
import type { PreparedTemplate } from './prepare';
import type { StackProgress } from './progress';
import { resourceContext } from './resource-context';
import type { ResourceHandler, ResourceRequest } from './resources/types';
import type { IntrinsicContext } from './template/intrinsics';

/**
 * What a stack operation needs besides the stack: resource handlers, exports, a stop signal. When the local
 * AWS stops mid-operation the operation ends where it is, without rolling back (which would delete resources
 * on a Ctrl-C); the next start marks the stack failed (recovery.ts).
 */
export interface DeploymentEnv {
  readonly region: string;
  readonly accountId: string;
  readonly signal: AbortSignal;
  handler(type: string): ResourceHandler | undefined;
  /** The value another stack exports under this name. */
  importValue(exportName: string): string;
  /** The name of another stack that already exports this name, if any. */
  exportOwner(exportName: string, stackId: string): string | undefined;
}

/** A resource the operation changed, and how to undo it. */
export interface Touched {
  readonly logicalId: string;
  readonly kind: 'created' | 'replaced' | 'updated';
  readonly before?: ResourceState;
  /** The properties the operation tried to apply. */
  readonly attempted: Readonly<Record<string, unknown>>;
}

export interface ApplyResult {
  readonly failed: readonly string[];
  readonly touched: readonly Touched[];
}

export const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function request(
  env: DeploymentEnv,
  progress: StackProgress,
  logicalId: string,
  properties: Readonly<Record<string, unknown>>,
): ResourceRequest {
  return {
    logicalId,
    stackName: progress.stack.StackName,
    stackId: progress.stack.StackId,
    region: env.region,
    accountId: env.accountId,
    properties,
    signal: env.signal,
  };
}

export function contextFor(
  env: DeploymentEnv,
  progress: StackProgress,
  prepared: PreparedTemplate,
): IntrinsicContext {
  return resourceContext(prepared, {
    state: (id) => progress.resource(id),
    pending: () => false,
    handler: (type) => env.handler(type),
    importValue: (name) => env.importValue(name),
  });
}
