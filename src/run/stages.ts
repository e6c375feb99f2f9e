import type { Terminal } from '../cli/terminal';

export interface StageTiming {
  readonly name: string;
  readonly seconds: number;
  readonly ok: boolean;
}

export interface StageOptions {
  /**
   * Run to the end after an abort: the stage stops its own work (the pipeline wait stops the execution) or
   * must finish to be undone (the local AWS start). Any other stage is abandoned at once on an abort: its
   * waits may be retrying against a local AWS that is gone, and Ctrl-C must not wait for them.
   */
  readonly finishOnAbort?: boolean;
}

/**
 * Runs the main job's stages one after another, announcing each and recording how long it took. Once
 * `signal` aborts (Ctrl-C), no further stage starts and the running one ends (see StageOptions).
 */
export class StageTimer {
  readonly timings: StageTiming[] = [];

  constructor(
    private readonly terminal: Terminal,
    private readonly signal?: AbortSignal,
  ) {}

  async run<T>(name: string, work: () => Promise<T> | T, options: StageOptions = {}): Promise<T> {
    const signal = this.signal;
    signal?.throwIfAborted();
    const started = performance.now();
    this.terminal.line(`▸ ${name}`);
    let ok = false;
    try {
      const running = Promise.resolve().then(work);
      const result = await (signal && !options.finishOnAbort ? untilAborted(running, signal) : running);
      ok = true;
      return result;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.timings.push({ name, seconds, ok });
      this.terminal.done();
      this.terminal.line(`  ${ok ? 'done' : 'failed'} in ${seconds.toFixed(1)}s`);
    }
  }
}

/** `work`'s result, or a rejection with the signal's reason as soon as it aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abandon = () => reject(signal.reason as Error);
    signal.addEventListener('abort', abandon, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abandon));
  });
}
