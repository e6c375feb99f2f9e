/**
 * Lambda handlers run from a cached esbuild bundle: a changed source must never run stale, even when the
 * change keeps the file's size and modification time, and a broken source fails as Lambda reports it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as esbuild from 'esbuild';

import { compiledModule, ModuleBuildError } from '../../../local/services/lambda/compiled-module';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'compiled-module-'));
const entry = path.join(work, 'handler.ts');
const dependency = path.join(work, 'greeting.ts');

beforeAll(() => {
  process.env.MLOPS_LAMBDA_CACHE = path.join(work, 'cache');
  fs.writeFileSync(
    entry,
    "import { greeting } from './greeting';\nexport const handler = (): string => greeting;\n",
  );
});

afterAll(() => {
  delete process.env.MLOPS_LAMBDA_CACHE;
  fs.rmSync(work, { recursive: true, force: true });
});

function run(file: string): string {
  const loaded = jest.requireActual<{ handler: () => string }>(file);
  return loaded.handler();
}

test('reuses the build while the sources are unchanged and rebuilds when an import changes', async () => {
  fs.writeFileSync(dependency, "export const greeting: string = 'hello';\n");
  const first = await compiledModule(entry, esbuild);
  expect(run(first)).toBe('hello');
  expect(await compiledModule(entry, esbuild)).toBe(first);

  // Same size, same mtime: only the contents tell.
  const { mtime } = fs.statSync(dependency);
  fs.writeFileSync(dependency, "export const greeting: string = 'howdy';\n");
  fs.utimesSync(dependency, mtime, mtime);
  const second = await compiledModule(entry, esbuild);
  expect(second).not.toBe(first);
  expect(run(second)).toBe('howdy');
  expect(fs.existsSync(first)).toBe(false);
});

test('a source that does not compile is a ModuleBuildError naming the file and line', async () => {
  fs.writeFileSync(dependency, 'export const greeting: string = ;\n');
  const failed = compiledModule(entry, esbuild);
  await expect(failed).rejects.toThrow(ModuleBuildError);
  await expect(failed).rejects.toThrow(/greeting\.ts:1: /);
});
