/**
 * How fast the CLI answers: `node bin/mlops.js --help` against `node -e 0` (Node's own start), run
 * alternately in one process so both see the same machine load; medians and their ratio (target ≤ 2×).
 * Prints the figures and writes bench/results/cli-start.json. Not a test: it asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

import { machine, median, ROOT, writeResults } from './measurement';

const ROUNDS = 15;

function seconds(args: readonly string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}

function main(): void {
  const help = [path.join(ROOT, 'bin', 'mlops.js'), '--help'];
  seconds(help); // A first start may rebuild the bundle; the figures are for an up-to-date one.
  const node: number[] = [];
  const mlops: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    node.push(seconds(['-e', '0']));
    mlops.push(seconds(help));
  }
  const results = {
    machine: machine(),
    target: 'mlops --help at most 2x node -e 0',
    rounds: ROUNDS,
    nodeMedianSeconds: median(node),
    helpMedianSeconds: median(mlops),
    ratio: median(mlops) / median(node),
  };
  console.log(
    `node -e 0: ${results.nodeMedianSeconds.toFixed(3)} s, mlops --help: ${results.helpMedianSeconds.toFixed(3)} s (medians of ${ROUNDS}), ratio ${results.ratio.toFixed(2)}`,
  );
  writeResults('cli-start', results);
}

main();
