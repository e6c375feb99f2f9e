import type { OperationHandler, RequestContext } from './service';

/**
 * A handler typed with the SDK's request and response types (e.g. `CreatePipelineRequest` →
 * `CreatePipelineResponse` from @aws-sdk/client-sagemaker), so TypeScript catches a missing required
 * member. The protocol layer hands it the input already typed by the model (Dates, Buffers, numbers,
 * booleans; constraints checked) and serializes what it returns by the output shape (Dates in, Dates out).
 */
export type TypedHandler<Input, Output> = (input: Input, ctx: RequestContext) => Promise<Output> | Output;

/** Puts a typed handler into an operation map (the codec, not TypeScript, guarantees the input's shape). */
export function operation<Input, Output>(handler: TypedHandler<Input, Output>): OperationHandler {
  return handler as unknown as OperationHandler;
}
