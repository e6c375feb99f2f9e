import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Node.js binaries a bundle is run with: Node 24, what `runs.using: node24` promises, and Node 20,
 * for runners and self-hosted machines still on it. The Node running the tests serves its own major;
 * scripts/setup.sh unpacks the other one from the npm package `node-<platform>-<arch>` into
 * node_modules/.node<major>.
 */
export type NodeRuntime = 'node24' | 'node20';

export const NODE_RUNTIMES: readonly NodeRuntime[] = ['node24', 'node20'];

export function nodeBinary(runtime: NodeRuntime): string {
  const major = runtime.slice('node'.length);
  if (process.versions.node.split('.')[0] === major) return process.execPath;
  const binary = join(__dirname, '..', '..', 'node_modules', `.node${major}`, 'bin', 'node');
  if (!existsSync(binary))
    throw new Error(
      `${runtime}: ${binary} is missing; run bash scripts/setup.sh, which unpacks Node ${major} there`,
    );
  return binary;
}
