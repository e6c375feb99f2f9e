/**
 * One warm Lambda "container": a child process that loads a handler module once and runs one invocation
 * at a time, answering over the IPC channel. Arguments: <module path> <export name>.
 */
import type { WorkerReply, WorkerRequest } from './worker-protocol';

const [modulePath, exportName] = process.argv.slice(2);

function send(reply: WorkerReply, then?: () => void): void {
  process.send?.(reply, undefined, {}, then);
}

function errorPayload(error: unknown, fallbackType: string) {
  const failure = error instanceof Error ? error : new Error(String(error));
  return {
    errorType: failure.name && failure.name !== 'Error' ? failure.name : fallbackType,
    errorMessage: failure.message,
    trace: (failure.stack ?? '').split('\n'),
  };
}

let handler: ((event: unknown, context: unknown) => unknown) | undefined;
try {
  const loaded = require(modulePath!) as Record<string, unknown>;
  const candidate = loaded[exportName!];
  if (typeof candidate !== 'function') {
    throw new Error(`${modulePath} does not export a function named ${exportName}`);
  }
  handler = candidate as typeof handler;
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'init-error', error: errorPayload(error, 'Runtime.ImportModuleError') }, () =>
    process.exit(1),
  );
}

process.on('message', (request: WorkerRequest) => {
  const context = {
    awsRequestId: request.requestId,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    invokedFunctionArn: request.functionArn,
    getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
  };
  Promise.resolve()
    .then(() => handler!(request.event, context))
    .then(
      (result) =>
        send({ type: 'result', requestId: request.requestId, payload: JSON.stringify(result ?? null) }),
      (error: unknown) =>
        send({ type: 'error', requestId: request.requestId, error: errorPayload(error, 'Error') }),
    );
});

// The local AWS went away: a worker must not outlive it.
process.on('disconnect', () => process.exit(0));
