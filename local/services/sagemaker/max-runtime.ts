/**
 * A job's `StoppingCondition.MaxRuntimeInSeconds`: once it passes, the job is stopped as the service stops it
 * (its status becomes Stopped; a training job's SecondaryStatus becomes MaxRuntimeExceeded).
 */
export interface RuntimeLimit {
  /** Aborts when the job is stopped from outside (the execution's signal) or when the limit passes. */
  readonly signal: AbortSignal;
  /** Starts the clock (once the job's own work begins); arms one timer when the request sets a limit. */
  start(): void;
  /** The limit in seconds once it has passed (and the job has been told to stop), else undefined. */
  exceeded(): number | undefined;
  /** Clears the timer; call when the job ends. */
  clear(): void;
}

/** The limit of one job run; `outer` is the execution's signal (StopPipelineExecution, shutdown). */
export function runtimeLimit(request: Record<string, unknown>, outer: AbortSignal): RuntimeLimit {
  const seconds = maxRuntimeSeconds(request);
  const controller = new AbortController();
  const forward = () => controller.abort();
  if (outer.aborted) controller.abort();
  else outer.addEventListener('abort', forward, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let exceeded: number | undefined;
  return {
    signal: controller.signal,
    start: () => {
      if (seconds === undefined || timer) return;
      timer = setTimeout(() => {
        exceeded = seconds;
        controller.abort();
      }, seconds * 1000);
    },
    exceeded: () => exceeded,
    clear: () => {
      clearTimeout(timer);
      outer.removeEventListener('abort', forward);
    },
  };
}

function maxRuntimeSeconds(request: Record<string, unknown>): number | undefined {
  const condition = request.StoppingCondition as { MaxRuntimeInSeconds?: unknown } | undefined;
  const seconds = condition?.MaxRuntimeInSeconds;
  return typeof seconds === 'number' && seconds > 0 ? seconds : undefined;
}
