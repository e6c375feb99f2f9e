import type { ServiceProvider } from '../../core/service';
import type { FunctionRegistry } from './functions';
import { functionOperations } from './operations/functions';
import type { LambdaRuntime } from './runtime';

/**
 * The local Lambda (restJson, API 2015-03-31): local handler modules run in warm worker processes.
 * Operations live in typed maps under operations/; add a topic there and one spread here.
 */
export function createLambdaProvider(registry: FunctionRegistry, runtime: LambdaRuntime): ServiceProvider {
  return {
    name: 'lambda',
    model: 'lambda',
    operations: { ...functionOperations(registry, runtime) },
    stop: () => runtime.stop(),
  };
}
