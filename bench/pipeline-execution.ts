/**
 * Orchestration overhead of the local SageMaker on the abalone pipeline. For each execution
 * (StartPipelineExecution → Succeeded, polled every 20 ms) it takes the wall time and subtracts the run time
 * of the three Python step processes inside it (preprocess, XGBoost training, evaluate; from their job logs):
 * what is left is orchestration (S3 staging and uploads, the sandbox, scheduling, state writes, the model
 * registry, the Lambda step, the poll). After each execution the same three processes also run directly on
 * plain folders ("bare"), to show the processes cost the same inside the local AWS as outside it.
 * One warm-up execution, then RUNS measured ones; medians are reported.
 * Run with `npm run bench:pipeline`; figures go to bench/results/pipeline-execution.json.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import {
  DescribePipelineExecutionCommand,
  DescribeTrainingJobCommand,
  ListPipelineExecutionStepsCommand,
  StartPipelineExecutionCommand,
  type PipelineExecutionStep,
} from '@aws-sdk/client-sagemaker';
import * as tar from 'tar';

import { jobLogPath } from '../local/runtimes/job-directory';
import { findPython } from '../local/runtimes/python';
import { XGBOOST_TRAIN_SCRIPT } from '../local/runtimes/xgboost-training';
import { writeFileAtomic } from '../local/state/store';
import {
  REPO_ROOT,
  createAbalonePipeline,
  startLocalSageMaker,
  stopLocalSageMaker,
  type LocalSageMaker,
} from '../test/integration/sagemaker/helpers';
import { quietNodeVersionWarning } from '../src/aws/quiet-node-version-warning';

quietNodeVersionWarning();

const RUNS = 5;
const POLL_MS = 20;
const TARGETS = { orchestrationMs: 1000, executionMs: 8000 };
const RESULTS = path.join(__dirname, 'results', 'pipeline-execution.json');
const PYTHON_STEPS = ['Preprocess', 'Train', 'Evaluate'] as const;
const run = promisify(execFile);

type StepTimes = Record<(typeof PYTHON_STEPS)[number], number>;

interface Measurement {
  readonly executionMs: number;
  /** The step processes' run time inside the execution. */
  readonly processesMs: number;
  /** executionMs − processesMs. */
  readonly orchestrationMs: number;
  /** The same processes run directly. */
  readonly bareMs: number;
  readonly processes: StepTimes;
  readonly bare: StepTimes;
}

async function main(): Promise<void> {
  const local = await startLocalSageMaker();
  try {
    await createAbalonePipeline(local, 'abalone');
    await execute(local);
    const measurements: Measurement[] = [];
    for (let index = 0; index < RUNS; index += 1) {
      const execution = await execute(local);
      const bare = await runBareSteps(local, execution.hyperParameters);
      const processesMs = sum(execution.processes);
      const measurement = {
        executionMs: execution.ms,
        processesMs,
        orchestrationMs: execution.ms - processesMs,
        bareMs: sum(bare),
        processes: execution.processes,
        bare,
      };
      measurements.push(measurement);
      process.stdout.write(
        `run ${index + 1}: execution ${measurement.executionMs} ms = step processes ${processesMs} ms + orchestration ${measurement.orchestrationMs} ms; the same processes run bare: ${measurement.bareMs} ms\n`,
      );
    }
    const median = (pick: (m: Measurement) => number) => medianOf(measurements.map(pick));
    const summary = {
      executionMs: median((m) => m.executionMs),
      processesMs: median((m) => m.processesMs),
      orchestrationMs: median((m) => m.orchestrationMs),
      bareMs: median((m) => m.bareMs),
    };
    process.stdout.write(
      `median: execution ${summary.executionMs} ms (target < ${TARGETS.executionMs}), orchestration overhead ${summary.orchestrationMs} ms (target < ${TARGETS.orchestrationMs}); step processes ${summary.processesMs} ms inside vs ${summary.bareMs} ms bare\n`,
    );
    const results = {
      benchmark:
        'abalone pipeline execution on the local SageMaker: orchestration overhead over its step processes',
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
        node: process.version,
      },
      runs: measurements,
      median: summary,
      targets: TARGETS,
    };
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    writeFileAtomic(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`wrote ${path.relative(process.cwd(), RESULTS)}\n`);
  } finally {
    await stopLocalSageMaker(local);
  }
}

/** One execution to Succeeded: its wall time, its step processes' run times and the training hyperparameters. */
async function execute(
  local: LocalSageMaker,
): Promise<{ ms: number; processes: StepTimes; hyperParameters: Record<string, string> }> {
  const started = Date.now();
  const { PipelineExecutionArn: arn } = await local.sagemaker.send(
    new StartPipelineExecutionCommand({ PipelineName: 'abalone' }),
  );
  for (;;) {
    const execution = await local.sagemaker.send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }),
    );
    if (execution.PipelineExecutionStatus === 'Succeeded') break;
    if (execution.PipelineExecutionStatus !== 'Executing') {
      throw new Error(
        `execution ${arn} ended ${execution.PipelineExecutionStatus}: ${execution.FailureReason}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const ms = Date.now() - started;
  const { PipelineExecutionSteps: steps = [] } = await local.sagemaker.send(
    new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn }),
  );
  const jobArn = (name: string) => {
    const step = steps.find((candidate: PipelineExecutionStep) => candidate.StepName === name);
    const arnOfJob = step?.Metadata?.ProcessingJob?.Arn ?? step?.Metadata?.TrainingJob?.Arn;
    if (!arnOfJob) throw new Error(`step ${name} of ${arn} has no job`);
    return arnOfJob;
  };
  const processes = Object.fromEntries(
    PYTHON_STEPS.map((name) => [name, processTime(jobLogPath(local.stateDir, jobArn(name)))]),
  ) as StepTimes;
  const training = await local.sagemaker.send(
    new DescribeTrainingJobCommand({ TrainingJobName: jobArn('Train').split('/').pop() }),
  );
  return { ms, processes, hyperParameters: training.HyperParameters ?? {} };
}

/** The process run time a job log reports (`the process ended (...) after <n> ms`). */
function processTime(logFile: string): number {
  const match = /the process ended \([^)]*\) after (\d+) ms/.exec(fs.readFileSync(logFile, 'utf8'));
  if (!match) throw new Error(`${logFile} does not report the process run time`);
  return Number(match[1]);
}

/** The three Python processes of the pipeline, run directly on temporary folders (no S3, no sandbox). */
async function runBareSteps(
  local: LocalSageMaker,
  hyperParameters: Record<string, string>,
): Promise<StepTimes> {
  const dir = fs.mkdtempSync(path.join(local.stateDir, 'bare-'));
  const python = findPython();
  const env = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', PYTHONDONTWRITEBYTECODE: '1' };
  const timed = async (args: string[], extraEnv: Record<string, string> = {}) => {
    const started = Date.now();
    await run(python, args, { env: { ...env, ...extraEnv }, cwd: dir });
    return Date.now() - started;
  };
  const raw = path.join(dir, 'raw');
  const splits = path.join(dir, 'splits');
  fs.mkdirSync(raw);
  fs.copyFileSync(path.join(REPO_ROOT, 'data/abalone.csv'), path.join(raw, 'abalone.csv'));
  const preprocess = path.join(REPO_ROOT, 'pipeline/scripts/preprocess.py');
  const Preprocess = await timed([preprocess, '--input-dir', raw, '--output-dir', splits, '--seed', '42']);

  const optMl = path.join(dir, 'opt-ml');
  for (const channel of ['train', 'validation']) {
    fs.cpSync(path.join(splits, channel), path.join(optMl, 'input/data', channel), { recursive: true });
  }
  const config = path.join(optMl, 'input/config');
  fs.mkdirSync(config, { recursive: true });
  fs.writeFileSync(path.join(config, 'hyperparameters.json'), JSON.stringify(hyperParameters));
  const channels = { train: { ContentType: 'text/csv' }, validation: { ContentType: 'text/csv' } };
  fs.writeFileSync(path.join(config, 'inputdataconfig.json'), JSON.stringify(channels));
  const Train = await timed([XGBOOST_TRAIN_SCRIPT], { OPT_ML: optMl });

  const modelDir = path.join(dir, 'model');
  fs.mkdirSync(modelDir);
  const tarball = path.join(modelDir, 'model.tar.gz');
  await tar.create({ gzip: true, file: tarball, cwd: path.join(optMl, 'model') }, ['xgboost-model']);
  const evaluate = path.join(REPO_ROOT, 'pipeline/scripts/evaluate.py');
  const testDir = path.join(splits, 'test');
  const Evaluate = await timed([
    evaluate,
    '--model-dir',
    modelDir,
    '--test-dir',
    testDir,
    '--output-dir',
    path.join(dir, 'eval'),
  ]);
  fs.rmSync(dir, { recursive: true, force: true });
  return { Preprocess, Train, Evaluate };
}

function sum(times: StepTimes): number {
  return Object.values(times).reduce((total, ms) => total + ms, 0);
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:pipeline failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
