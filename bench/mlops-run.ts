/**
 * Times `mlops run` end to end, stage by stage: a cold run on an empty state directory, then a second
 * run on the same one (pipeline unchanged, endpoint updated), each as a ratio to one import of the Python
 * ML stack measured in the same run (targets: first run ≤ 4×, second ≤ 3×), with each execution's step
 * timeline (read afterwards from the state the runs left). Prints the figures and writes
 * bench/results/mlops-run.json. Not a test: it asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { SageMakerClient } from '@aws-sdk/client-sagemaker';

import { startLocalAws } from '../local';
import { createClient } from '../src/aws/clients';
import { localClientOptions } from '../src/cli/connection';
import { listExecutionSteps } from '../src/pipeline/steps';
import { machine, median, ROOT, writeResults } from './measurement';

interface StageTiming {
  readonly name: string;
  readonly seconds: number;
}

interface RunOutput {
  readonly outcome: string;
  readonly executionArn?: string;
  readonly endpointRmse?: number;
  readonly stages: readonly StageTiming[];
}

const IMPORT_ROUNDS = 3;

/** One `python3 -c 'import pandas, sklearn, xgboost'` with Debian's Python (the median of a few). */
function importSeconds(): number {
  return median(
    Array.from({ length: IMPORT_ROUNDS }, () => {
      const started = performance.now();
      execFileSync('/usr/bin/python3', ['-c', 'import pandas, sklearn, xgboost'], { stdio: 'ignore' });
      return (performance.now() - started) / 1000;
    }),
  );
}

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

/** One step of an execution: seconds from the execution's first step start to its own start and end. */
interface StepTiming {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** The runs' executions, step by step, from the state directory they used (read through the local AWS). */
async function stepTimelines(stateDir: string, executionArns: readonly string[]): Promise<StepTiming[][]> {
  const local = await startLocalAws({ port: 0, stateDir, quiet: true });
  try {
    const sagemaker = createClient(SageMakerClient, localClientOptions('us-east-1', local.endpoint));
    return await Promise.all(
      executionArns.map(async (arn) => {
        const steps = await listExecutionSteps(sagemaker, arn);
        const origin = Math.min(...steps.map((step) => step.startTime?.getTime() ?? Infinity));
        return steps.map((step) => ({
          name: step.name,
          start: ((step.startTime?.getTime() ?? origin) - origin) / 1000,
          end: ((step.endTime?.getTime() ?? origin) - origin) / 1000,
        }));
      }),
    );
  } finally {
    await local.stop();
  }
}

/**
 * The CLI runs from a bundle rebuilt after any source change (bin/mlops.js): build it before timing, so that
 * the cold run measures an empty state, not a developer's edit.
 */
function buildCli(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'bin', 'mlops.js'), '--help'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-mlops-run-'));
  try {
    buildCli();
    const importBefore = importSeconds();
    const runs = ['cold (empty state)', 'second run (same state)'].map((label) => ({
      label,
      ...timedRun(work),
    }));
    const pythonImportSeconds = (importBefore + importSeconds()) / 2;
    const timelines = await stepTimelines(
      path.join(work, 'state'),
      runs.map((run) => run.output.executionArn ?? ''),
    );
    console.log(`one import of pandas, sklearn, xgboost: ${pythonImportSeconds.toFixed(2)} s`);
    runs.forEach((run, index) => {
      console.log(
        `\n${run.label}: ${run.wallSeconds.toFixed(1)} s wall (node start to exit) = ${(run.wallSeconds / pythonImportSeconds).toFixed(2)}x the import, outcome ${run.output.outcome}, endpoint RMSE ${run.output.endpointRmse?.toFixed(4)}`,
      );
      for (const stage of run.output.stages)
        console.log(`  ${stage.seconds.toFixed(2).padStart(7)} s  ${stage.name}`);
      console.log('  steps (from the first step start):');
      for (const step of timelines[index] ?? [])
        console.log(
          `    ${step.start.toFixed(2).padStart(6)} → ${step.end.toFixed(2).padStart(6)} s  ${step.name}`,
        );
    });
    const results = {
      machine: machine(),
      target: 'first run at most 4x, second run at most 3x one import of the Python ML stack',
      pythonImportSeconds,
      runs: runs.map((run, index) => ({
        label: run.label,
        wallSeconds: run.wallSeconds,
        ratioToImport: run.wallSeconds / pythonImportSeconds,
        outcome: run.output.outcome,
        endpointRmse: run.output.endpointRmse,
        stages: run.output.stages,
        steps: timelines[index],
      })),
    };
    writeResults('mlops-run', results);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
