import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

/** The middle of the values (the upper middle for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** What the figures depend on: cores, load averages (1, 5, 15 min) at the end, Node, when. */
export function machine() {
  return {
    cpus: os.cpus().length,
    load: os.loadavg(),
    node: process.version,
    measuredAt: new Date().toISOString(),
  };
}

/** Writes bench/results/<name>.json and says so. */
export function writeResults(name: string, results: object): void {
  mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench', 'results', `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote bench/results/${name}.json`);
}
