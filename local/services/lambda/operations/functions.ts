import type {
  CreateFunctionRequest,
  DeleteFunctionRequest,
  FunctionConfiguration,
  GetFunctionConfigurationRequest,
  GetFunctionRequest,
  GetFunctionResponse,
  InvocationRequest,
  InvocationResponse,
  ListFunctionsRequest,
  ListFunctionsResponse,
} from '@aws-sdk/client-lambda';

import { AwsError } from '../../../core/errors';
import { operation } from '../../../core/operations';
import { pageOf } from '../../../core/pagination';
import type { OperationHandler } from '../../../core/service';
import type { FunctionRegistry } from '../functions';
import { LambdaRuntime } from '../runtime';

const invalidMarker = (marker: string) =>
  new AwsError('InvalidParameterValueException', `Marker ${marker.slice(0, 100)} is not valid.`);

/** The SDK's FunctionConfiguration from a local record (enum members are the strings AWS sends). */
const configuration = (record: ReturnType<FunctionRegistry['get']>) =>
  record as unknown as FunctionConfiguration;

/** Function lifecycle: create, read, list (MaxItems/Marker paging), delete. */
export function functionOperations(
  registry: FunctionRegistry,
  runtime: LambdaRuntime,
): Record<string, OperationHandler> {
  return {
    CreateFunction: operation<CreateFunctionRequest, FunctionConfiguration>((input) =>
      configuration(registry.create(input as unknown as Record<string, unknown>)),
    ),

    GetFunction: operation<GetFunctionRequest, GetFunctionResponse>((input) => ({
      Configuration: configuration(registry.get(input.FunctionName!, input.Qualifier)),
      Code: { RepositoryType: 'Local', Location: '' },
      Tags: {},
    })),

    GetFunctionConfiguration: operation<GetFunctionConfigurationRequest, FunctionConfiguration>((input) =>
      configuration(registry.get(input.FunctionName!, input.Qualifier)),
    ),

    ListFunctions: operation<ListFunctionsRequest, ListFunctionsResponse>((input) => {
      const page = pageOf(registry.list().map(configuration), {
        defaultSize: 50,
        invalidToken: invalidMarker,
        ...(input.MaxItems === undefined ? {} : { size: input.MaxItems }),
        ...(input.Marker === undefined ? {} : { token: input.Marker }),
      });
      return { Functions: page.items, ...(page.nextToken ? { NextMarker: page.nextToken } : {}) };
    }),

    DeleteFunction: operation<DeleteFunctionRequest, Record<string, never>>(async (input) => {
      const { FunctionName } = registry.get(input.FunctionName!, input.Qualifier);
      registry.delete(FunctionName);
      await runtime.retire(FunctionName);
      return {};
    }),

    Invoke: operation<InvocationRequest, InvocationResponse>(async (input) => {
      const { FunctionName: name } = registry.get(input.FunctionName!, input.Qualifier);
      const payload = Buffer.from(input.Payload ?? new Uint8Array());
      if (input.InvocationType === 'DryRun') return { StatusCode: 204, ExecutedVersion: '$LATEST' };
      if (input.InvocationType === 'Event') {
        // Asynchronous invocation: accepted now, run in the background; failures land in the function's log.
        void runtime.run(name, payload).catch(() => undefined);
        return { StatusCode: 202 };
      }
      const invocation = await runtime.run(name, payload);
      return {
        StatusCode: 200,
        ExecutedVersion: '$LATEST',
        Payload: Buffer.from(invocation.payload),
        ...(invocation.functionError ? { FunctionError: invocation.functionError } : {}),
        ...(input.LogType === 'Tail' ? { LogResult: LambdaRuntime.logTail(invocation.log) } : {}),
      };
    }),
  };
}
