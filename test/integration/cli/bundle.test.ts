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
const OUT = path.join(ROOT, 'node_modules', '.cache', 'mlops-cli');

const mlops = (...args: string[]) =>
  execFileSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
const stamp = () =>
  JSON.parse(fs.readFileSync(path.join(OUT, 'stamp.json'), 'utf8')) as { inputs: Record<string, string> };

describe('the CLI bundle', () => {
  test('is rebuilt when a source it was built from changes, before the command runs', () => {
    mlops('--version');
    const source = path.join('src', 'cli', 'exit-codes.ts');
    expect(stamp().inputs[source]).toBeDefined();
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(ROOT, source), later, later);
    expect(mlops('--version').trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const { mtimeMs, size } = fs.statSync(path.join(ROOT, source));
    expect(stamp().inputs[source]).toBe(`${mtimeMs}:${size}`);
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
