/**
 * Times `mlops run` end to end, stage by stage: a cold run on an empty state directory, then a second
 * run on the same one (pipeline unchanged, endpoint updated). Prints the figures and writes
 * bench/results/mlops-run.json. Not a test: it asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface StageTiming {
  readonly name: string;
  readonly seconds: number;
}

interface RunOutput {
  readonly outcome: string;
  readonly endpointRmse?: number;
  readonly stages: readonly StageTiming[];
}

const ROOT = path.resolve(__dirname, '..');

function timedRun(work: string): { wallSeconds: number; output: RunOutput } {
  const started = performance.now();
  const stdout = execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'bin', 'mlops.js'),
      'run',
      '--json',
      '--state-dir',
      path.join(work, 'state'),
      '--build-dir',
      path.join(work, 'build'),
    ],
    { cwd: ROOT, env: { ...process.env, CI: 'true' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return { wallSeconds: (performance.now() - started) / 1000, output: JSON.parse(stdout) as RunOutput };
}

function main(): void {
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-mlops-run-'));
  try {
    const runs = ['cold (empty state)', 'second run (same state)'].map((label) => ({
      label,
      ...timedRun(work),
    }));
    for (const run of runs) {
      console.log(
        `\n${run.label}: ${run.wallSeconds.toFixed(1)} s wall (node start to exit), outcome ${run.output.outcome}, endpoint RMSE ${run.output.endpointRmse?.toFixed(4)}`,
      );
      for (const stage of run.output.stages)
        console.log(`  ${stage.seconds.toFixed(2).padStart(7)} s  ${stage.name}`);
    }
    const results = {
      machine: { cpus: os.cpus().length, node: process.version, measuredAt: new Date().toISOString() },
      target: 'whole run under 20 s on this 2-core machine',
      runs: runs.map((run) => ({
        label: run.label,
        wallSeconds: run.wallSeconds,
        outcome: run.output.outcome,
        endpointRmse: run.output.endpointRmse,
        stages: run.output.stages,
      })),
    };
    mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(
      path.join(ROOT, 'bench', 'results', 'mlops-run.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    console.log('\nwrote bench/results/mlops-run.json');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
