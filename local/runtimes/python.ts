import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** The Python modules the SageMaker containers we stand in for provide. */
export const REQUIRED_PYTHON_MODULES = ['xgboost', 'sklearn', 'pandas'] as const;

/** Debian packages that provide them (the same versions as SageMaker's containers). */
export const PYTHON_DEBIAN_PACKAGES = ['python3-xgboost', 'python3-sklearn', 'python3-pandas'] as const;

export class PythonNotFoundError extends Error {}

let cached: string | undefined;

/**
 * The Python interpreter that imports the ML libraries. `MLOPS_PYTHON` wins; otherwise Debian's
 * `/usr/bin/python3` is tried before `python3` on PATH, because a pyenv shim often comes first on PATH
 * and lacks the Debian packages.
 */
export function findPython(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MLOPS_PYTHON) {
    if (!importsMlLibraries(env.MLOPS_PYTHON)) {
      throw new PythonNotFoundError(
        `MLOPS_PYTHON=${env.MLOPS_PYTHON} cannot import ${REQUIRED_PYTHON_MODULES.join(', ')}; point it at a Python that can, or unset it`,
      );
    }
    return env.MLOPS_PYTHON;
  }
  if (cached) return cached;
  const found = ['/usr/bin/python3', 'python3'].find(importsMlLibraries);
  if (!found) {
    throw new PythonNotFoundError(
      `no Python with ${REQUIRED_PYTHON_MODULES.join(', ')} found; install them with: sudo apt-get install -y ${PYTHON_DEBIAN_PACKAGES.join(' ')} (or set MLOPS_PYTHON)`,
    );
  }
  cached = found;
  return found;
}

/**
 * Finds the modules without importing them: an import costs as much as the fork server's own, at every
 * start. A module that is found but broken fails the first job with its traceback.
 */
function importsMlLibraries(python: string): boolean {
  const modules = JSON.stringify(REQUIRED_PYTHON_MODULES);
  const probe = spawnSync(
    python,
    [
      '-c',
      `import importlib.util, sys; sys.exit(0 if all(map(importlib.util.find_spec, ${modules})) else 1)`,
    ],
    { stdio: 'ignore' },
  );
  return probe.status === 0;
}

/**
 * The environment every local Python process starts from (jobs and serving workers alike, so that they
 * share one warm fork server): the host's PATH, LANG and user site, unbuffered output, no bytecode files.
 */
export function pythonEnvironment(host: NodeJS.ProcessEnv): Record<string, string> {
  const userBase = host.PYTHONUSERBASE ?? (host.HOME ? path.join(host.HOME, '.local') : undefined);
  return {
    PATH: host.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    ...(userBase ? { PYTHONUSERBASE: userBase } : {}),
    LANG: host.LANG ?? 'C.UTF-8',
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    // OpenMP threads (XGBoost, numpy) otherwise spin while waiting: on a busy machine training slows tenfold.
    OMP_WAIT_POLICY: 'PASSIVE',
  };
}
