import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

import { findPython } from '../../../local/runtimes/python';
import type { JobRuntime } from './job-runtime';
import { checkoutWorkingTree, linkNodeModules } from './workspace';

/**
 * How the replay stands in for what only exists on GitHub. Each third-party action is mapped to a
 * local equivalent; an input the equivalent does not know fails the replay instead of being ignored.
 *
 * | action                                  | local equivalent                                                                 |
 * |-----------------------------------------|----------------------------------------------------------------------------------|
 * | actions/checkout                        | copies the working tree (tracked + new files) into the workspace (or `path`); only the workflow's own repository; a `ref` other than `github.sha` must be one of the replay's `commits` (a copy the test edits) |
 * | actions/setup-node                      | checks the requested major version is not newer than the local `node`             |
 * | actions/setup-python                    | checks `python-version` is the major.minor of the Python the local AWS uses (Debian's here); outputs its path |
 * | aws-actions/configure-aws-credentials   | requires `id-token: write` and a role ARN, then exports static credentials, the region and AWS_ENDPOINT_URL of the local AWS |
 * | actions/upload-artifact                 | copies `path` (one file or folder) to the replay's artifact store; a name can be uploaded once |
 * | actions/download-artifact               | copies a named artifact into `path` (default: the workspace); a missing one fails  |
 * | actions/cache, actions/cache/restore    | restores from the replay's cache store by `key`, else the newest `restore-keys` prefix match, saved from the same `path`; actions/cache saves at job end on a miss |
 * | actions/cache/save                      | saves `path` under `key` in the replay's cache store                             |
 *
 * `run:` steps with these ids are replaced too (the step must still contain the text shown, so a
 * changed command fails the replay):
 *
 * | step id     | must contain        | local equivalent                                                      |
 * |-------------|---------------------|-----------------------------------------------------------------------|
 * | python      | `requirements.txt`  | exports MLOPS_PYTHON: the Python that has requirements.txt's versions here (test/unit/local/python-requirements.test.ts) |
 * | install     | `npm ci`            | links the working tree's installed node_modules into its directory     |
 * | local-aws   | `mlops.js local start` | the test's in-process local AWS; exports AWS_ENDPOINT_URL pointing at it |
 */
export interface ThirdPartyStep {
  readonly job: JobRuntime;
  readonly inputs: Readonly<Record<string, string>>;
  /** Whether the job's effective permissions grant `id-token: write`. */
  readonly idTokenWritable: boolean;
}

export interface LocalEquivalent {
  readonly inputs: readonly string[];
  run(step: ThirdPartyStep): Promise<Record<string, string>> | Record<string, string>;
}

/** Credentials the local AWS accepts; they stand in for the session OIDC would give. */
export const LOCAL_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'replay',
  AWS_SECRET_ACCESS_KEY: 'replay',
  AWS_SESSION_TOKEN: 'replay',
};

function workspacePath(job: JobRuntime, path: string | undefined): string {
  if (path === undefined || path === '') return job.workspace;
  if (path.startsWith('~'))
    throw new Error(`path '${path}': '~' is not supported by the replay; use \${{ runner.temp }}`);
  return isAbsolute(path) ? path : resolve(job.workspace, path);
}

function singlePath(name: string, value: string | undefined): string {
  const paths = (value ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (paths.length !== 1)
    throw new Error(`${name}: the replay supports exactly one path, got ${JSON.stringify(value)}`);
  const [path = ''] = paths;
  if (/[*?[]/.test(path))
    throw new Error(`${name}: glob patterns are not supported by the replay, got '${path}'`);
  return path;
}

function copyInto(source: string, destination: string): void {
  mkdirSync(destination, { recursive: true });
  if (statSync(source).isDirectory()) cpSync(source, destination, { recursive: true });
  else cpSync(source, join(destination, basename(source)));
}

const checkout: LocalEquivalent = {
  inputs: [
    'repository',
    'ref',
    'path',
    'fetch-depth',
    'persist-credentials',
    'token',
    'sparse-checkout',
    'clean',
  ],
  run({ job, inputs }) {
    const own = String(job.replay.github.repository);
    if (inputs.repository && inputs.repository !== own) {
      throw new Error(
        `actions/checkout: the replay can only check out ${own} (the working tree), not '${inputs.repository}'`,
      );
    }
    const destination = workspacePath(job, inputs.path);
    if (relative(job.workspace, destination).startsWith('..')) {
      throw new Error(`actions/checkout: path '${inputs.path}' is outside the workspace`);
    }
    const sha = String(job.replay.github.sha);
    const ref = inputs.ref ?? '';
    const editToCommit = ref === '' || ref === sha ? undefined : job.replay.commits[ref];
    if (ref !== '' && ref !== sha && editToCommit === undefined) {
      throw new Error(
        `actions/checkout: the replay has the working tree (${sha}) and the commits the test gives (${Object.keys(job.replay.commits).join(', ') || 'none'}), not '${ref}'`,
      );
    }
    checkoutWorkingTree(job.replay.repoRoot, destination);
    editToCommit?.(destination);
    return { ref, commit: editToCommit ? ref : sha };
  },
};

const setupNode: LocalEquivalent = {
  inputs: [
    'node-version',
    'node-version-file',
    'cache',
    'cache-dependency-path',
    'registry-url',
    'check-latest',
  ],
  run({ inputs }) {
    const local = Number(process.versions.node.split('.')[0]);
    const wanted = Number(/^\d+/.exec(inputs['node-version'] ?? '')?.[0] ?? local);
    if (wanted > local + 4)
      throw new Error(`actions/setup-node: node ${wanted} requested, the replay runs node ${local}`);
    return { 'node-version': process.version };
  },
};

const setupPython: LocalEquivalent = {
  inputs: ['python-version', 'cache', 'cache-dependency-path'],
  run({ inputs }) {
    const python = findPython();
    const local = execFileSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
      encoding: 'utf8',
    }).trim();
    if (inputs['python-version'] !== local) {
      throw new Error(
        `actions/setup-python: python-version '${inputs['python-version'] ?? ''}' requested, the replay's Python (${python}) is ${local}`,
      );
    }
    return { 'python-version': local, 'python-path': python };
  },
};

const configureAwsCredentials: LocalEquivalent = {
  inputs: [
    'role-to-assume',
    'aws-region',
    'role-session-name',
    'role-duration-seconds',
    'mask-aws-account-id',
    'output-credentials',
    'audience',
  ],
  run({ job, inputs, idTokenWritable }) {
    const role = inputs['role-to-assume'] ?? '';
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(role)) {
      throw new Error(`configure-aws-credentials: role-to-assume must be an IAM role ARN, got '${role}'`);
    }
    if (!idTokenWritable) {
      throw new Error(
        'configure-aws-credentials: OIDC needs `permissions: id-token: write` on the job or workflow',
      );
    }
    const region = inputs['aws-region'] ?? '';
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
      throw new Error(`configure-aws-credentials: aws-region must be a region, got '${region}'`);
    Object.entries(LOCAL_CREDENTIALS).forEach(([name, value]) => job.setEnv(name, value));
    job.setEnv('AWS_REGION', region);
    job.setEnv('AWS_DEFAULT_REGION', region);
    job.setEnv('AWS_ENDPOINT_URL', job.replay.awsEndpoint);
    return { 'aws-account-id': role.split(':')[4] ?? '' };
  },
};

const uploadArtifact: LocalEquivalent = {
  inputs: [
    'name',
    'path',
    'if-no-files-found',
    'retention-days',
    'compression-level',
    'overwrite',
    'include-hidden-files',
  ],
  run({ job, inputs }) {
    const name = inputs.name || 'artifact';
    const source = workspacePath(job, singlePath('actions/upload-artifact path', inputs.path));
    if (!existsSync(source)) {
      if ((inputs['if-no-files-found'] ?? 'warn') === 'error')
        throw new Error(`actions/upload-artifact: no files at ${source}`);
      return {};
    }
    const destination = join(job.replay.artifactsDir, name);
    if (existsSync(destination)) {
      if (inputs.overwrite !== 'true')
        throw new Error(`actions/upload-artifact: an artifact named '${name}' already exists in this run`);
      rmSync(destination, { recursive: true });
    }
    copyInto(source, destination);
    return { 'artifact-id': name, 'artifact-url': `replay://artifacts/${name}` };
  },
};

const downloadArtifact: LocalEquivalent = {
  inputs: ['name', 'path', 'pattern', 'merge-multiple', 'run-id', 'github-token'],
  run({ job, inputs }) {
    if (!inputs.name)
      throw new Error(
        'actions/download-artifact: the replay needs a `name` (downloading all artifacts is not supported)',
      );
    const source = join(job.replay.artifactsDir, inputs.name);
    if (!existsSync(source))
      throw new Error(`actions/download-artifact: Artifact not found for name: ${inputs.name}`);
    const destination = workspacePath(job, inputs.path);
    mkdirSync(destination, { recursive: true });
    cpSync(source, destination, { recursive: true });
    return { 'download-path': destination };
  },
};

function cacheEntry(job: JobRuntime, key: string): string {
  return join(job.replay.cacheDir, encodeURIComponent(key));
}

/**
 * Puts an entry in the replay's cache store as an earlier run would have saved it. Like actions/cache,
 * an entry records the `path` it was saved from and is only restored to that same path.
 */
export function seedCache(cacheDir: string, entry: { key: string; path: string; source: string }): void {
  const directory = join(cacheDir, encodeURIComponent(entry.key));
  mkdirSync(directory, { recursive: true });
  cpSync(entry.source, join(directory, 'content'), { recursive: true });
  writeFileSync(join(directory, 'path'), entry.path);
}

function restoreCache(
  job: JobRuntime,
  inputs: Readonly<Record<string, string>>,
): { hit: boolean; matched: string } {
  const key = inputs.key ?? '';
  if (key === '') throw new Error('actions/cache: `key` is required');
  const path = singlePath('actions/cache path', inputs.path);
  const prefixes = [
    key,
    ...(inputs['restore-keys'] ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  ];
  const entries = (
    existsSync(job.replay.cacheDir) ? readdirSync(job.replay.cacheDir).map(decodeURIComponent) : []
  ).filter((entry) => readFileSync(join(cacheEntry(job, entry), 'path'), 'utf8') === path);
  const newestFirst = entries.sort(
    (a, b) => statSync(cacheEntry(job, b)).mtimeMs - statSync(cacheEntry(job, a)).mtimeMs,
  );
  for (const prefix of prefixes) {
    const matched =
      prefix === key
        ? entries.find((entry) => entry === key)
        : newestFirst.find((entry) => entry.startsWith(prefix));
    if (matched !== undefined) {
      const content = join(cacheEntry(job, matched), 'content');
      const target = workspacePath(job, path);
      mkdirSync(statSync(content).isDirectory() ? target : dirname(target), { recursive: true });
      cpSync(content, target, { recursive: true });
      return { hit: matched === key, matched };
    }
  }
  return { hit: false, matched: '' };
}

function saveCache(job: JobRuntime, inputs: Readonly<Record<string, string>>): void {
  const path = singlePath('actions/cache path', inputs.path);
  const source = workspacePath(job, path);
  const key = inputs.key ?? '';
  if (existsSync(cacheEntry(job, key)) || !existsSync(source)) return;
  seedCache(job.replay.cacheDir, { key, path, source });
}

const CACHE_INPUTS = [
  'key',
  'path',
  'restore-keys',
  'enableCrossOsArchive',
  'fail-on-cache-miss',
  'lookup-only',
];

const cache: LocalEquivalent = {
  inputs: [...CACHE_INPUTS, 'upload-chunk-size', 'save-always'],
  run({ job, inputs }) {
    const restored = restoreCache(job, inputs);
    if (!restored.hit) {
      job.postSteps.push({
        name: `Post cache ${inputs.key}`,
        run: async () => {
          if (!job.failed) saveCache(job, inputs);
        },
      });
    }
    return { 'cache-hit': String(restored.hit) };
  },
};

const cacheRestore: LocalEquivalent = {
  inputs: CACHE_INPUTS,
  run({ job, inputs }) {
    const restored = restoreCache(job, inputs);
    if (!restored.matched && inputs['fail-on-cache-miss'] === 'true')
      throw new Error(`actions/cache/restore: no cache for key ${inputs.key}`);
    return {
      'cache-hit': String(restored.hit),
      'cache-primary-key': inputs.key ?? '',
      'cache-matched-key': restored.matched,
    };
  },
};

const cacheSave: LocalEquivalent = {
  inputs: ['key', 'path', 'enableCrossOsArchive', 'upload-chunk-size'],
  run({ job, inputs }) {
    saveCache(job, inputs);
    return {};
  },
};

/** Keyed by the `uses:` reference without its `@ref`. */
export const THIRD_PARTY_EQUIVALENTS: Readonly<Record<string, LocalEquivalent>> = {
  'actions/checkout': checkout,
  'actions/setup-node': setupNode,
  'actions/setup-python': setupPython,
  'aws-actions/configure-aws-credentials': configureAwsCredentials,
  'actions/upload-artifact': uploadArtifact,
  'actions/download-artifact': downloadArtifact,
  'actions/cache': cache,
  'actions/cache/restore': cacheRestore,
  'actions/cache/save': cacheSave,
};

export interface RunStepEquivalent {
  readonly mustContain: string;
  /** `directory` is the step's working directory. */
  run(job: JobRuntime, directory: string): void;
}

/** `run:` steps the replay replaces, keyed by step id (see the table above). */
export const RUN_STEP_EQUIVALENTS: Readonly<Record<string, RunStepEquivalent>> = {
  python: { mustContain: 'requirements.txt', run: (job) => job.setEnv('MLOPS_PYTHON', findPython()) },
  install: {
    mustContain: 'npm ci',
    run: (job, directory) => linkNodeModules(job.replay.repoRoot, directory),
  },
  'local-aws': {
    mustContain: 'mlops.js local start',
    run: (job) => job.setEnv('AWS_ENDPOINT_URL', job.replay.awsEndpoint),
  },
};
