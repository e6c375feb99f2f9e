/** Ctrl-C ends the running stage at once unless the stage stops its own work (the pipeline wait). */
import type { Terminal } from '../../../src/cli/terminal';
import { StageTimer } from '../../../src/run/stages';

function recordingTerminal(lines: string[]): Terminal {
  return {
    line: (text) => lines.push(text),
    status: () => undefined,
    done: () => undefined,
    interactive: false,
  };
}

test('an abort abandons a running stage with its reason and records it as failed', async () => {
  const lines: string[] = [];
  const abort = new AbortController();
  const stages = new StageTimer(recordingTerminal(lines), abort.signal);
  // Work that would wait forever, like polls retrying a local AWS that is gone.
  const stage = stages.run('deploy', () => new Promise<never>(() => undefined));
  abort.abort(new Error('SIGINT received'));
  await expect(stage).rejects.toThrow('SIGINT received');
  expect(stages.timings).toEqual([expect.objectContaining({ name: 'deploy', ok: false })]);
  await expect(stages.run('score', () => 1)).rejects.toThrow('SIGINT received');
  expect(lines).not.toContain('▸ score');
});

test('a stage that finishes on abort runs to its own end', async () => {
  const abort = new AbortController();
  const stages = new StageTimer(recordingTerminal([]), abort.signal);
  let finish!: (value: string) => void;
  const stage = stages.run('run the pipeline', () => new Promise<string>((resolve) => (finish = resolve)), {
    finishOnAbort: true,
  });
  abort.abort(new Error('SIGINT received'));
  await new Promise((resolve) => setImmediate(resolve));
  finish('Stopped');
  await expect(stage).resolves.toBe('Stopped');
});
