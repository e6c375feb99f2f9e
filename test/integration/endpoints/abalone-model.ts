import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { findPython } from '../../../local/runtimes/python';

const ROOT = path.resolve(__dirname, '../../..');

/** An abalone model built with the pipeline's own scripts, plus what tests need to check an endpoint with it. */
export interface AbaloneModel {
  /** model.tar.gz holding `xgboost-model`, as the training job writes it. */
  readonly modelTarGz: string;
  /** A model.tar.gz whose `xgboost-model` is not a model: the endpoint cannot load it. */
  readonly corruptTarGz: string;
  /** The same model trained under the deprecated objective name reg:linear: loading it prints a warning on stdout. */
  readonly regLinearTarGz: string;
  /** The test split without its label column: one CSV row of features per line. */
  readonly testRows: readonly string[];
  readonly testLabels: readonly number[];
  /** The RMSE pipeline/scripts/evaluate.py reports for this model on the test split. */
  readonly evaluationRmse: number;
}

/**
 * Preprocesses data/abalone.csv with pipeline/scripts/preprocess.py, trains with python xgboost (the
 * pipeline's hyperparameters; `numRound` varies the model) and scores it with pipeline/scripts/evaluate.py,
 * all in one Python process (build-model.py). Asynchronous, so a local AWS in this process keeps answering.
 */
export async function buildAbaloneModel(dir: string, numRound = 50): Promise<AbaloneModel> {
  await promisify(execFile)(findPython(), [
    path.join(__dirname, 'build-model.py'),
    ROOT,
    dir,
    String(numRound),
  ]);
  const evaluation = JSON.parse(fs.readFileSync(path.join(dir, 'evaluation', 'evaluation.json'), 'utf8')) as {
    regression_metrics: { rmse: { value: number } };
  };
  const lines = fs
    .readFileSync(path.join(dir, 'splits', 'test', 'test.csv'), 'utf8')
    .trim()
    .split('\n');
  return {
    modelTarGz: path.join(dir, 'model.tar.gz'),
    corruptTarGz: path.join(dir, 'corrupt-model.tar.gz'),
    regLinearTarGz: path.join(dir, 'reg-linear-model.tar.gz'),
    testRows: lines.map((line) => line.slice(line.indexOf(',') + 1)),
    testLabels: lines.map((line) => Number(line.slice(0, line.indexOf(',')))),
    evaluationRmse: evaluation.regression_metrics.rmse.value,
  };
}

export function rmse(labels: readonly number[], predictions: readonly number[]): number {
  const squared = labels.map((label, index) => (label - predictions[index]!) ** 2);
  return Math.sqrt(squared.reduce((sum, value) => sum + value, 0) / squared.length);
}
