/**
 * Orchestration overhead of the local SageMaker on the abalone pipeline: the wall time of an execution
 * (StartPipelineExecution → Succeeded, polled every 20 ms) against the sum of the same three Python step
 * processes (preprocess, XGBoost training, evaluate) run directly, one after the other, on plain folders.
 * One warm-up execution, then RUNS measured pairs; medians are reported.
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

const RUNS = 5;
const POLL_MS = 20;
const TARGETS = { overheadMs: 1000, executionMs: 8000 };
const RESULTS = path.join(__dirname, 'results', 'pipeline-execution.json');
const run = promisify(execFile);

interface Measurement {
  readonly executionMs: number;
  readonly bareStepsMs: number;
  readonly overheadMs: number;
  /** Time of the execution when no step was running (scheduling, status writes, the 20 ms poll). */
  readonly betweenStepsMs: number;
  readonly steps: Record<string, number>;
  readonly bare: Record<string, number>;
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
      const bareStepsMs = Object.values(bare).reduce((sum, ms) => sum + ms, 0);
      const overheadMs = execution.ms - bareStepsMs;
      const betweenStepsMs = execution.ms - execution.busyMs;
      measurements.push({
        executionMs: execution.ms,
        bareStepsMs,
        overheadMs,
        betweenStepsMs,
        steps: execution.steps,
        bare,
      });
      process.stdout.write(
        `run ${index + 1}: execution ${execution.ms} ms, bare steps ${bareStepsMs} ms, overhead ${overheadMs} ms (between steps ${betweenStepsMs} ms)\n`,
      );
    }
    const median = (pick: (m: Measurement) => number) => medianOf(measurements.map(pick));
    const summary = {
      executionMs: median((m) => m.executionMs),
      bareStepsMs: median((m) => m.bareStepsMs),
      overheadMs: median((m) => m.overheadMs),
      betweenStepsMs: median((m) => m.betweenStepsMs),
    };
    process.stdout.write(
      `median: execution ${summary.executionMs} ms (target < ${TARGETS.executionMs}), bare steps ${summary.bareStepsMs} ms, orchestration overhead ${summary.overheadMs} ms (target < ${TARGETS.overheadMs}), of which between steps ${summary.betweenStepsMs} ms\n`,
    );
    const results = {
      benchmark: 'abalone pipeline execution on the local SageMaker vs its bare step processes',
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

/** One execution to Succeeded: wall time, time with a step running, each step's duration, the training hyperparameters. */
async function execute(local: LocalSageMaker): Promise<{
  ms: number;
  busyMs: number;
  steps: Record<string, number>;
  hyperParameters: Record<string, string>;
}> {
  const started = Date.now();
  const { PipelineExecutionArn: arn } = await local.sagemaker.send(
    new StartPipelineExecutionCommand({ PipelineName: 'abalone' }),
  );
  for (;;) {
    const execution = await local.sagemaker.send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }),
    );
    if (execution.PipelineExecutionStatus === 'Succeeded') break;
    if (execution.PipelineExecutionStatus !== 'Executing')
      throw new Error(
        `execution ${arn} ended ${execution.PipelineExecutionStatus}: ${execution.FailureReason}`,
      );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const ms = Date.now() - started;
  const { PipelineExecutionSteps: steps = [] } = await local.sagemaker.send(
    new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn }),
  );
  const training = steps
    .find((step) => step.StepName === 'Train')
    ?.Metadata?.TrainingJob?.Arn?.split('/')
    .pop();
  const job = await local.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: training }));
  return {
    ms,
    busyMs: busyTime(steps),
    steps: Object.fromEntries(
      steps.map((step: PipelineExecutionStep) => [step.StepName, +step.EndTime! - +step.StartTime!]),
    ),
    hyperParameters: job.HyperParameters ?? {},
  };
}

/** The three Python processes of the pipeline, run directly on temporary folders (no S3, no sandbox). */
async function runBareSteps(
  local: LocalSageMaker,
  hyperParameters: Record<string, string>,
): Promise<Record<string, number>> {
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
  const preprocess = await timed([
    path.join(REPO_ROOT, 'pipeline/scripts/preprocess.py'),
    '--input-dir',
    raw,
    '--output-dir',
    splits,
    '--seed',
    '42',
  ]);

  const optMl = path.join(dir, 'opt-ml');
  for (const channel of ['train', 'validation']) {
    fs.mkdirSync(path.join(optMl, 'input/data', channel), { recursive: true });
    fs.cpSync(path.join(splits, channel), path.join(optMl, 'input/data', channel), { recursive: true });
  }
  fs.mkdirSync(path.join(optMl, 'input/config'), { recursive: true });
  fs.writeFileSync(path.join(optMl, 'input/config/hyperparameters.json'), JSON.stringify(hyperParameters));
  fs.writeFileSync(
    path.join(optMl, 'input/config/inputdataconfig.json'),
    JSON.stringify({ train: { ContentType: 'text/csv' }, validation: { ContentType: 'text/csv' } }),
  );
  const train = await timed([XGBOOST_TRAIN_SCRIPT], { OPT_ML: optMl });

  const modelDir = path.join(dir, 'model');
  fs.mkdirSync(modelDir);
  await tar.create(
    { gzip: true, file: path.join(modelDir, 'model.tar.gz'), cwd: path.join(optMl, 'model') },
    ['xgboost-model'],
  );
  const evaluate = await timed([
    path.join(REPO_ROOT, 'pipeline/scripts/evaluate.py'),
    '--model-dir',
    modelDir,
    '--test-dir',
    path.join(splits, 'test'),
    '--output-dir',
    path.join(dir, 'evaluation'),
  ]);
  fs.rmSync(dir, { recursive: true, force: true });
  return { Preprocess: preprocess, Train: train, Evaluate: evaluate };
}

/** Length of the union of the steps' [StartTime, EndTime] intervals. */
function busyTime(steps: readonly PipelineExecutionStep[]): number {
  const intervals = steps
    .map((step) => [+step.StartTime!, +step.EndTime!] as const)
    .sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let reach = -Infinity;
  for (const [start, end] of intervals) {
    busy += Math.max(0, end - Math.max(start, reach));
    reach = Math.max(reach, end);
  }
  return busy;
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:pipeline failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
