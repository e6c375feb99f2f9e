import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ACTIONS, compareDist, DIST } from '../../scripts/build-actions';

// Rebuilding four bundles takes a while on two cores.
jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '..', '..');
let built: string;

beforeAll(async () => {
  built = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-rebuilt-'));
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', 'scripts/build-actions.ts', '--out', built],
      { cwd: ROOT, stdio: 'ignore' },
    );
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`scripts/build-actions.ts --out ${built} exited ${code}`);
});

afterAll(() => fs.rmSync(built, { recursive: true, force: true }));

test('the committed bundles are exactly what the sources build (run npm run build:actions when this fails)', () => {
  for (const action of ACTIONS) expect(fs.existsSync(path.join(DIST, action, 'index.js'))).toBe(true);
  expect(compareDist(built, DIST)).toEqual([]);
});

test('a bundle that differs by one byte from the rebuilt one is reported as stale', () => {
  const tampered = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-tampered-'));
  try {
    fs.cpSync(DIST, tampered, { recursive: true });
    const file = path.join(tampered, 'wait-for-execution', 'index.js');
    fs.appendFileSync(file, ' ');
    fs.rmSync(path.join(tampered, 'approved-model', 'licenses.txt'));
    expect(compareDist(built, tampered)).toEqual([
      path.join('approved-model', 'licenses.txt'),
      path.join('wait-for-execution', 'index.js'),
    ]);
  } finally {
    fs.rmSync(tampered, { recursive: true, force: true });
  }
});
