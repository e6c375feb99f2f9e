/**
 * bin/mlops.js runs the CLI from a bundle of its sources: a changed source is rebuilt before the command
 * runs (never a stale build), and `--help` loads no command module.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'bin', 'mlops.js');
// A build of its own (under node_modules, to resolve the packages): the shared one stays fresh for the CLI
// runs of other tests.
const CACHE = path.join(ROOT, 'node_modules', '.cache');
fs.mkdirSync(CACHE, { recursive: true });
const OUT = fs.mkdtempSync(path.join(CACHE, 'mlops-cli-test-'));
afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

const mlops = (...args: string[]) =>
  execFileSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MLOPS_CLI_CACHE: OUT },
  });
const stampFile = path.join(OUT, 'stamp.json');
const stamp = () => JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { inputs: Record<string, string> };

describe('the CLI bundle', () => {
  test('is rebuilt when a source it was built from differs from the stamp, before the command runs', () => {
    mlops('--version');
    const source = path.join('src', 'cli', 'exit-codes.ts');
    const { mtimeMs, size } = fs.statSync(path.join(ROOT, source));
    expect(stamp().inputs[source]).toBe(`${mtimeMs}:${size}`);
    // As if the file had changed since the build: the stamp no longer matches it.
    fs.writeFileSync(
      stampFile,
      JSON.stringify({ ...stamp(), inputs: { ...stamp().inputs, [source]: '1:1' } }),
    );
    const bundle = path.join(OUT, 'cli.cjs');
    fs.writeFileSync(bundle, 'throw new Error("the stale bundle ran");');
    expect(mlops('--version').trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(stamp().inputs[source]).toBe(`${mtimeMs}:${size}`);
    expect(fs.readFileSync(bundle, 'utf8')).not.toContain('the stale bundle ran');
  });

  test('answers --help from the command list without loading a command module', () => {
    mlops('--help');
    const probe = spawnSync(
      process.execPath,
      [
        '-e',
        `const M = require('module'); const load = M._load; const seen = [];
         M._load = function (request, ...rest) { seen.push(request); return load.call(this, request, ...rest); };
         process.argv = [process.execPath, ${JSON.stringify(CLI)}, '--help'];
         process.env.MLOPS_CLI_CACHE = ${JSON.stringify(OUT)};
         process.on('exit', () => process.stderr.write(JSON.stringify(seen)));
         require(${JSON.stringify(CLI)});`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const loaded = JSON.parse(probe.stderr) as string[];
    expect(probe.stdout).toContain('Commands:');
    expect(loaded).toContain('commander');
    expect(loaded.filter((name) => /^(@aws-sdk\/|aws-cdk-lib|cdk-nag|tar$|yaml$|tsx)/.test(name))).toEqual(
      [],
    );
  });
});
