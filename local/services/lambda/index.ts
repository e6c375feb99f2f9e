import type { OperationHandler, ServiceProvider } from '../../core/service';
import type { FunctionRegistry } from './functions';
import { LambdaRuntime } from './runtime';

/** Invoke's output: the payload is the answer's body, the rest travel as headers and the status code. */
interface InvokeOutput {
  readonly StatusCode: number;
  readonly Payload: Buffer;
  readonly FunctionError?: string;
  readonly ExecutedVersion?: string;
  readonly LogResult?: string;
}

/** The local Lambda (restJson, API 2015-03-31): local handler modules run in warm worker processes. */
export function createLambdaProvider(registry: FunctionRegistry, runtime: LambdaRuntime): ServiceProvider {
  return {
    name: 'lambda',
    model: 'lambda',
    operations: lambdaOperations(registry, runtime),
    stop: () => runtime.stop(),
  };
}

function lambdaOperations(
  registry: FunctionRegistry,
  runtime: LambdaRuntime,
): Record<string, OperationHandler> {
  return {
    CreateFunction: (input) => registry.create(input),

    GetFunction: (input) => ({
      Configuration: registry.get(String(input.FunctionName)),
      Code: { RepositoryType: 'Local', Location: '' },
      Tags: {},
    }),

    GetFunctionConfiguration: (input) => registry.get(String(input.FunctionName)),

    ListFunctions: () => ({ Functions: registry.list() }),

    DeleteFunction: async (input) => {
      const { FunctionName } = registry.get(String(input.FunctionName));
      registry.delete(FunctionName);
      await runtime.retire(FunctionName);
      return undefined;
    },

    Invoke: async (input): Promise<InvokeOutput> => {
      const name = String(input.FunctionName);
      const payload = (input.Payload as Buffer | undefined) ?? Buffer.alloc(0);
      if (input.InvocationType === 'DryRun') {
        registry.get(name);
        return { StatusCode: 204, Payload: Buffer.alloc(0) };
      }
      if (input.InvocationType === 'Event') {
        registry.get(name);
        // Asynchronous invocation: accepted now, run in the background; failures land in the function's log.
        void runtime.run(name, payload).catch(() => undefined);
        return { StatusCode: 202, Payload: Buffer.alloc(0) };
      }
      const invocation = await runtime.run(name, payload);
      return {
        StatusCode: 200,
        Payload: Buffer.from(invocation.payload),
        ...(invocation.functionError ? { FunctionError: invocation.functionError } : {}),
        ...(input.LogType === 'Tail' ? { LogResult: LambdaRuntime.logTail(invocation.log) } : {}),
      };
    },
  };
}
