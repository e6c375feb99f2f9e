import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { findPython } from '../../../local/runtimes/python';
import { abaloneDefaults, REPO_ROOT, synthesizeAbalone } from '../../../pipeline/synth';

const SCRIPTS = path.join(REPO_ROOT, 'pipeline', 'scripts');

/** The Train step's hyperparameters with the parameter defaults filled in, as the algorithm receives them. */
function pipelineHyperparameters(): Record<string, string> {
  const { definition } = synthesizeAbalone(abaloneDefaults());
  const train = definition.Steps.find((step) => step.Name === 'Train');
  const defaults = new Map(
    definition.Parameters.map((parameter) => [parameter.Name, String(parameter.DefaultValue)]),
  );
  const resolve = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const join = (value as { 'Std:Join': { Values: { Get: string }[] } })['Std:Join'];
    return join.Values.map((entry) => defaults.get(entry.Get.replace('Parameters.', '')) ?? '').join('');
  };
  const hyperparameters = (train?.Arguments as { HyperParameters: Record<string, unknown> }).HyperParameters;
  return Object.fromEntries(Object.entries(hyperparameters).map(([key, value]) => [key, resolve(value)]));
}

describe('the abalone scripts on a plain folder', () => {
  let dir: string;
  const python = findPython();
  // One OpenMP thread: XGBoost's spinning worker threads crawl on a busy 2-core machine.
  const env = { ...process.env, OMP_NUM_THREADS: '1' };
  const run = (script: string, ...args: string[]) =>
    execFileSync(python, [script, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  const rows = (file: string) => readFileSync(path.join(dir, file), 'utf8').trim().split('\n');

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlops-scripts-'));
    mkdirSync(path.join(dir, 'input'));
    copyFileSync(path.join(REPO_ROOT, 'data', 'abalone.csv'), path.join(dir, 'input', 'abalone.csv'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('preprocess splits 70/15/15 with one-hot Sex, label first and no header, reproducibly for a seed', () => {
    const output = run(
      path.join(SCRIPTS, 'preprocess.py'),
      '--input-dir',
      'input',
      '--output-dir',
      'out',
      '--seed',
      '42',
    );
    expect(output).toBe(
      'preprocess: train: 2924 rows\npreprocess: validation: 627 rows\npreprocess: test: 626 rows\n',
    );
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['test', 'train', 'validation']);
    const test = rows('out/test/test.csv');
    // Seed 42 always holds out the same rows: Rings, 7 measurements, then Sex_F, Sex_I, Sex_M.
    expect(test[0]).toBe('11,0.58,0.425,0.145,0.83,0.379,0.1605,0.2575,0,1,0');
    const parsed = [...test, ...rows('out/train/train.csv')].map((row) => row.split(',').map(Number));
    expect(parsed.filter((values) => values.length !== 11 || !Number.isInteger(values[0]))).toEqual([]);
    expect(parsed.filter((values) => values.slice(8).reduce((sum, value) => sum + value, 0) !== 1)).toEqual(
      [],
    );
  });

  it('evaluate scores a model trained with the pipeline hyperparameters: RMSE between 1.9 and 2.6', () => {
    const hyperparameters = pipelineHyperparameters();
    expect(hyperparameters).toEqual({
      max_depth: '5',
      eta: '0.2',
      gamma: '4',
      min_child_weight: '6',
      subsample: '0.7',
      num_round: '50',
      objective: 'reg:squarederror',
    });
    writeFileSync(path.join(dir, 'hyperparameters.json'), JSON.stringify(hyperparameters));
    run(
      path.join(__dirname, 'train_xgboost.py'),
      'out/train/train.csv',
      'out/validation/validation.csv',
      'hyperparameters.json',
      'model',
    );
    const output = run(
      path.join(SCRIPTS, 'evaluate.py'),
      '--model-dir',
      'model',
      '--test-dir',
      'out/test',
      '--output-dir',
      'evaluation',
    );
    expect(output).toMatch(/^evaluate: rmse \d\.\d{4} on 626 test rows\n$/);
    const report = JSON.parse(readFileSync(path.join(dir, 'evaluation', 'evaluation.json'), 'utf8'));
    const metrics = report.regression_metrics;
    expect(metrics.rmse.value).toBeGreaterThan(1.9);
    expect(metrics.rmse.value).toBeLessThan(2.6);
    expect(metrics.mse.value).toBeCloseTo(metrics.rmse.value ** 2, 6);
    expect(Object.keys(metrics).sort()).toEqual(['mae', 'mse', 'r2', 'rmse']);
    for (const name of ['rmse', 'mse', 'mae']) expect(metrics[name].standard_deviation).toBeGreaterThan(0);
    expect(metrics.r2.value).toBeGreaterThan(0.3);
  });
});
