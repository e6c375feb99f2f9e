/** Messages between the Lambda runtime and its worker processes (over Node's IPC channel). */
export interface WorkerRequest {
  readonly requestId: string;
  readonly functionArn: string;
  readonly event: unknown;
  /** Epoch milliseconds when the invocation times out. */
  readonly deadline: number;
}

/** The AWS Lambda error payload: what Invoke returns with `X-Amz-Function-Error: Unhandled`. */
export interface ErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: ErrorPayload }
  | { readonly type: 'result'; readonly requestId: string; readonly payload: string }
  | { readonly type: 'error'; readonly requestId: string; readonly error: ErrorPayload };
