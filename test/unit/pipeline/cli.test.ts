import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT } from '../../../pipeline/synth';

const MLOPS = path.join(REPO_ROOT, 'bin', 'mlops.js');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe('mlops pipeline', () => {
  let dir: string;
  const mlops = (...args: string[]): Run => {
    const result = spawnSync(process.execPath, [MLOPS, 'pipeline', ...args], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const json = (file: string): any => JSON.parse(readFileSync(path.join(dir, file), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlops-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('synth writes a definition that validate accepts, and the assets manifest beside it', () => {
    const synth = mlops('synth', '--out', 'build/pipeline.json');
    expect(synth).toEqual({
      status: 0,
      stdout:
        'wrote build/pipeline.json (9 steps, 12 parameters) and build/pipeline.assets.json (4 assets)\n',
      stderr: '',
    });
    expect(mlops('validate', 'build/pipeline.json')).toEqual({
      status: 0,
      stdout: 'build/pipeline.json: OK\n',
      stderr: '',
    });

    const definition = json('build/pipeline.json');
    const types =
      JSON.stringify(definition).match(
        /"Type":"(Processing|Training|Condition|RegisterModel|Model|Lambda|Fail)"/g,
      ) ?? [];
    expect(types.sort()).toEqual(
      [
        'Condition',
        'Fail',
        'Lambda',
        'Model',
        'Processing',
        'Processing',
        'Processing',
        'RegisterModel',
        'Training',
      ].map((type) => `"Type":"${type}"`),
    );
    expect(JSON.stringify(definition)).toContain(
      '"Std:JsonGet":{"PropertyFile":{"Get":"Steps.Evaluate.PropertyFiles.EvaluationReport"}',
    );
    const manifest = json('build/pipeline.assets.json');
    expect(manifest.assets.map((entry: { path: string }) => entry.path)).toEqual([
      'pipeline/scripts/preprocess.py',
      'pipeline/scripts/evaluate.py',
      'pipeline/scripts/monitor/analyzer.py',
      'data/abalone.csv',
    ]);
  });

  it("synth points at another scripts folder, and one changed byte changes that script's S3 URI", () => {
    const scripts = path.join(dir, 'scripts');
    mkdirSync(path.join(scripts, 'monitor'), { recursive: true });
    for (const script of ['preprocess.py', 'evaluate.py', 'monitor/analyzer.py'])
      copyFileSync(path.join(REPO_ROOT, 'pipeline', 'scripts', script), path.join(scripts, script));
    writeFileSync(
      path.join(scripts, 'preprocess.py'),
      `${readFileSync(path.join(scripts, 'preprocess.py'), 'utf8')}#`,
    );
    const run = mlops(
      'synth',
      '--out',
      'edited.json',
      '--scripts-dir',
      scripts,
      '--bucket',
      'team-bucket',
      '--region',
      'eu-west-1',
    );
    expect(run.status).toBe(0);
    const [original, edited] = [json('build/pipeline.assets.json'), json('edited.assets.json')];
    expect(edited.assets[0].path).toBe(path.join(scripts, 'preprocess.py'));
    expect(edited.assets[0].sha256).not.toBe(original.assets[0].sha256);
    expect(edited.assets[1].sha256).toBe(original.assets[1].sha256);
    expect(JSON.stringify(json('edited.json'))).toContain(
      `s3://team-bucket/abalone-pipeline/assets/${edited.assets[0].sha256}/preprocess.py`,
    );
  });

  it('validate exits 1 listing each problem with its path, also as JSON', () => {
    const definition = json('build/pipeline.json');
    definition.Steps[4].Arguments.Conditions[0].Type = 'LessOrEqual';
    definition.Steps[1].Name = 'Train step';
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(definition));
    const run = mlops('validate', 'bad.json');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^bad\.json: 5 problems\n/);
    expect(run.stdout).toContain(
      '  $.Steps[1].Name: invalid step name "Train step": expected 1-64 characters from [A-Za-z0-9-_]\n',
    );
    expect(run.stdout).toContain(
      '  $.Steps[4].Arguments.Conditions[0].Type: unknown condition type "LessOrEqual"',
    );
    expect(run.stdout).toContain(
      '  $.Steps[2].Arguments.ProcessingInputs[0].S3Input.S3Uri: Get "Steps.Train.ModelArtifacts.S3ModelArtifacts" refers to step "Train"',
    );

    const asJson = mlops('validate', 'bad.json', '--json');
    expect(asJson.status).toBe(1);
    const report = JSON.parse(asJson.stdout);
    expect(report).toMatchObject({ file: 'bad.json', valid: false });
    expect(report.issues).toHaveLength(5);
    expect(report.issues[0]).toEqual({ path: expect.any(String), message: expect.any(String) });
  });

  it('validate reports a file that is not JSON at $; unreadable files and unusable options exit 2', () => {
    writeFileSync(path.join(dir, 'broken.json'), '{"Version": ');
    const broken = mlops('validate', 'broken.json');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^broken\.json: 1 problem\n {2}\$: not valid JSON: /);
    const missing = mlops('validate', 'nowhere.json');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^mlops: cannot read nowhere\.json: ENOENT/);
    const badRegion = mlops('synth', '--region', 'mars-1', '--out', 'mars.json');
    expect(badRegion.status).toBe(2);
    expect(badRegion.stderr).toMatch(
      /^mlops: cannot synthesize the pipeline: sagemaker-scikit-learn:1\.2-1-cpu-py3 is not published in region "mars-1"/,
    );
  });

  it('diff prints per-step changes and exits 0, also as JSON', () => {
    const run = mlops('diff', 'build/pipeline.json', 'edited.json');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Steps:\n  ~ Preprocess (Processing)\n');
    expect(run.stdout).toContain(
      '~ Arguments.ProcessingInputs[InputName=code].S3Input.S3Uri: "s3://mlops-local-artifacts/',
    );
    expect(run.stdout).toContain(
      '~ Arguments.AppSpecification.ImageUri: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3" → "141502667606.dkr.ecr.eu-west-1',
    );
    const asJson = mlops('diff', 'build/pipeline.json', 'build/pipeline.json', '--json');
    expect(asJson.status).toBe(0);
    expect(JSON.parse(asJson.stdout)).toEqual({ identical: true, parameters: [], steps: [], other: [] });
    expect(existsSync(path.join(dir, 'build', 'pipeline.json'))).toBe(true);
  });

  it('has help for every command', () => {
    const help = mlops('synth', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--scripts-dir <dir>');
  });
});
