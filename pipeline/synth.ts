import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { buildAbalonePipeline, type AbaloneOptions } from './abalone';
import { assetsManifestPath, fileAsset, type AssetsManifest } from './assets';
import type { PipelineDefinition } from './dsl';

/** The repository root: where the scripts and the data live, and what manifest paths are relative to. */
export const REPO_ROOT = path.resolve(__dirname, '..');

export interface SynthOptions extends Omit<AbaloneOptions, 'assets'> {
  /** Root that manifest paths are relative to (default: the repository root). */
  readonly root?: string;
  /** Folder holding preprocess.py and evaluate.py (default: pipeline/scripts). */
  readonly scriptsDir?: string;
  /** The raw data file (default: data/abalone.csv). */
  readonly dataFile?: string;
}

export interface SynthResult {
  readonly definition: PipelineDefinition;
  readonly manifest: AssetsManifest;
}

/**
 * Placeholders for local use (the offline AWS accepts any account): region us-east-1, account
 * 000000000000. Pass real values for AWS.
 */
export function abaloneDefaults(
  region = 'us-east-1',
): Omit<SynthOptions, 'root' | 'scriptsDir' | 'dataFile'> {
  return {
    region,
    roleArn: 'arn:aws:iam::000000000000:role/SageMakerExecutionRole',
    bucket: 'mlops-local-artifacts',
    prefix: 'abalone-pipeline',
    lambdaFunctionArn: `arn:aws:lambda:${region}:000000000000:function:record-model-name`,
    modelPackageGroupName: 'abalone-models',
    modelNameParameter: '/mlops/abalone/model-name',
  };
}

/** Builds the abalone definition with content-addressed asset URIs, and the manifest of those assets. */
export function synthesizeAbalone(options: SynthOptions): SynthResult {
  const root = options.root ?? REPO_ROOT;
  const scriptsDir = options.scriptsDir ?? path.join(root, 'pipeline', 'scripts');
  const location = { bucket: options.bucket, prefix: options.prefix };
  const asset = (file: string) => fileAsset(file, { root, location });
  const preprocess = asset(path.resolve(scriptsDir, 'preprocess.py'));
  const evaluate = asset(path.resolve(scriptsDir, 'evaluate.py'));
  const analyzer = asset(path.resolve(scriptsDir, 'monitor', 'analyzer.py'));
  const data = asset(
    options.dataFile ? path.resolve(options.dataFile) : path.join(root, 'data', 'abalone.csv'),
  );
  const pipeline = buildAbalonePipeline({
    ...options,
    assets: {
      preprocessScript: preprocess.s3Uri,
      evaluateScript: evaluate.s3Uri,
      analyzerScript: analyzer.s3Uri,
      inputData: data.s3Uri,
    },
  });
  return {
    definition: pipeline.toDefinition(),
    manifest: { version: 1, assets: [preprocess, evaluate, analyzer, data] },
  };
}

/** Pretty JSON with a final newline, the form the definition and manifest files are written in. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes `<out>` (the definition) and `<out basename>.assets.json` beside it; returns both paths. */
export function writeSynthResult(
  outFile: string,
  result: SynthResult,
): { definitionFile: string; manifestFile: string } {
  const definitionFile = path.resolve(outFile);
  const manifestFile = assetsManifestPath(definitionFile);
  mkdirSync(path.dirname(definitionFile), { recursive: true });
  writeFileSync(definitionFile, formatJson(result.definition));
  writeFileSync(manifestFile, formatJson(result.manifest));
  return { definitionFile, manifestFile };
}
