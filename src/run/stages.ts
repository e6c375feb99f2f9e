import type { Terminal } from '../cli/terminal';

export interface StageTiming {
  readonly name: string;
  readonly seconds: number;
  readonly ok: boolean;
}

/**
 * Runs the main job's stages one after another, announcing each and recording how long it took. Once
 * `signal` aborts (Ctrl-C), no further stage starts.
 */
export class StageTimer {
  readonly timings: StageTiming[] = [];

  constructor(
    private readonly terminal: Terminal,
    private readonly signal?: AbortSignal,
  ) {}

  async run<T>(name: string, work: () => Promise<T> | T): Promise<T> {
    this.signal?.throwIfAborted();
    const started = performance.now();
    this.terminal.line(`▸ ${name}`);
    let ok = false;
    try {
      const result = await work();
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
