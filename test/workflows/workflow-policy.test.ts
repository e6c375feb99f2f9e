import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';

import { isPair, isScalar, parseDocument, visit } from 'yaml';

import { loadWorkflow, workflowCall, type JobSpec } from './replay/workflow-file';

const ROOT = join(__dirname, '..', '..');
const WORKFLOWS_DIR = join(ROOT, '.github', 'workflows');
const VALIDATOR = join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs');

const workflowFiles = readdirSync(WORKFLOWS_DIR)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => join(WORKFLOWS_DIR, name));
const actionFiles = readdirSync(join(ROOT, 'actions'))
  .map((name) => join(ROOT, 'actions', name, 'action.yml'))
  .filter((file) => existsSync(file));

const rel = (file: string): string => relative(ROOT, file);

/**
 * Runs @action-validator/cli on a file. Its newest release (0.6.0) bundles a schema that lists runs.using
 * node12/node16/node20 only, so an action on node24 (what GitHub runs JavaScript actions on from June
 * 2026) is validated as a copy that says node20; everything else in the file is checked as written.
 */
function validate(file: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'action-validator-'));
  try {
    const copy = join(dir, basename(file));
    writeFileSync(
      copy,
      readFileSync(file, 'utf8').replace(/^(\s*using:\s*['"]?)node24(['"]?\s*)$/m, '$1node20$2'),
    );
    const result = spawnSync(process.execPath, [VALIDATOR, copy], { encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every `uses:` value in a file with its same-line comment (the version of a pinned SHA). */
function usesReferences(file: string): Array<{ uses: string; comment: string }> {
  const references: Array<{ uses: string; comment: string }> = [];
  visit(parseDocument(readFileSync(file, 'utf8')), {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === 'uses' && isScalar(pair.value)) {
        references.push({ uses: String(pair.value.value), comment: (pair.value.comment ?? '').trim() });
      }
    },
  });
  return references;
}

function permissionSettings(file: string): unknown[] {
  const workflow = loadWorkflow(file);
  return [workflow.permissions, ...Object.values(workflow.jobs).map((job: JobSpec) => job.permissions)];
}

describe('workflow files', () => {
  it('has the PR, deploy, release and reusable train-and-deploy workflows', () => {
    expect(workflowFiles.map((file) => rel(file)).sort()).toEqual(
      expect.arrayContaining([
        '.github/workflows/deploy.yml',
        '.github/workflows/pr.yml',
        '.github/workflows/release.yml',
        '.github/workflows/train-and-deploy.yml',
      ]),
    );
  });

  it('has an action.yml for every local action the workflows use', () => {
    const local = workflowFiles
      .flatMap((file) => usesReferences(file).map(({ uses }) => uses))
      .filter((uses) => uses.startsWith('./'));
    // The reusable workflow checks this repository out into .mlops-actions.
    const actions = [
      ...new Set(
        local
          .filter((uses) => !uses.startsWith('./.github/'))
          .map((uses) => uses.replace(/^\.\/(\.mlops-actions\/)?/, '')),
      ),
    ];
    expect(actions.sort()).toEqual([
      'actions/approved-model',
      'actions/deploy-endpoint',
      'actions/upsert-sagemaker-pipeline',
      'actions/wait-for-execution',
    ]);
    expect(actions.filter((action) => !existsSync(join(ROOT, action, 'action.yml')))).toEqual([]);
  });

  it('the validator reports a malformed workflow or action (so the lint below can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workflow-lint-'));
    try {
      const workflow = join(dir, 'broken.yml');
      writeFileSync(workflow, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz: []\n');
      expect(validate(workflow).output).toContain("Additional property 'stepz' is not allowed");
      const action = join(dir, 'action.yml');
      writeFileSync(action, 'name: x\ndescription: x\nruns:\n  using: node24\n  mian: index.js\n');
      expect(validate(action).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(workflowFiles.map((file) => [rel(file), file]))(
    '%s passes @action-validator/cli with zero findings',
    (_name, file) => {
      expect(validate(file)).toEqual({ status: 0, output: '' });
    },
  );

  it.each(actionFiles.map((file) => [rel(file), file]))(
    '%s passes @action-validator/cli with zero findings',
    (_name, file) => {
      expect(validate(file)).toEqual({ status: 0, output: '' });
    },
  );

  it.each(workflowFiles.map((file) => [rel(file), file]))(
    '%s uses only local actions or third-party actions pinned to a full commit SHA with a version comment',
    (_name, file) => {
      const references = usesReferences(file);
      expect(references.length).toBeGreaterThan(0);
      const offending = references.filter(
        ({ uses, comment }) =>
          !uses.startsWith('./') &&
          !(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses) && /^v\d+(\.\d+)*$/.test(comment)),
      );
      expect(offending).toEqual([]);
    },
  );

  it.each(workflowFiles.map((file) => [rel(file), file]))(
    '%s declares least permissions (never write-all)',
    (_name, file) => {
      const settings = permissionSettings(file);
      expect(settings.filter((setting) => typeof setting === 'string')).toEqual([]);
      const workflow = loadWorkflow(file);
      const reusable = workflow.on.workflow_call !== undefined;
      // A reusable workflow inherits its caller's token; everything else states its permissions at the top.
      if (!reusable) expect(workflow.permissions).toEqual(expect.any(Object));
    },
  );
});

describe('deploy.yml', () => {
  const deploy = loadWorkflow(join(WORKFLOWS_DIR, 'deploy.yml'));
  const reusableFile = join(WORKFLOWS_DIR, 'train-and-deploy.yml');
  const reusable = loadWorkflow(reusableFile);

  it('runs on push to main, on the registry decisions and on demand, with id-token: write and contents: read only', () => {
    expect(Object.keys(deploy.on).sort()).toEqual(['push', 'repository_dispatch', 'workflow_dispatch']);
    expect(deploy.on.push).toEqual({ branches: ['main'] });
    expect(deploy.on.repository_dispatch).toEqual({ types: ['model-approved', 'model-rejected'] });
    expect(deploy.on.workflow_dispatch).toMatchObject({
      inputs: { 'model-package-arn': { type: 'string', default: '' } },
    });
    expect(deploy.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    for (const job of Object.values(deploy.jobs)) {
      if (job.permissions !== undefined)
        expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    }
  });

  it('deploys through the reusable workflow with role and region from repository variables', () => {
    const call = Object.values(deploy.jobs).find(
      (job) => job.uses === './.github/workflows/train-and-deploy.yml',
    );
    expect(call).toBeDefined();
    expect(call?.with?.['aws-region']).toBe('${{ vars.AWS_REGION }}');
    expect(call?.secrets).toEqual(expect.objectContaining({ 'aws-role-arn': '${{ vars.AWS_ROLE_ARN }}' }));
  });

  it('gives each environment a concurrency group that never cancels a deploy in progress', () => {
    const deployJobs = Object.values(reusable.jobs).filter((job) => job.environment !== undefined);
    expect(deployJobs.map((job) => job.environment).sort()).toEqual(['production', 'staging']);
    for (const job of deployJobs) {
      const concurrency = job.concurrency as { group: string; 'cancel-in-progress': boolean };
      expect(concurrency['cancel-in-progress']).toBe(false);
      expect(concurrency.group).toContain(String(job.environment));
    }
  });

  it('declares the reusable workflow inputs, secrets and outputs another repository needs', () => {
    const call = workflowCall(reusable, reusableFile);
    expect(Object.keys(call.inputs ?? {})).toEqual(
      expect.arrayContaining([
        'pipeline-name',
        'definition-file',
        'stack-name',
        'aws-region',
        'pipeline-role-arn',
      ]),
    );
    expect(call.secrets?.['aws-role-arn']?.required).toBe(true);
    expect(Object.keys(call.outputs ?? {})).toEqual(
      expect.arrayContaining([
        'execution-arn',
        'model-package-arn',
        'staging-endpoint-name',
        'production-endpoint-name',
      ]),
    );
  });
});

describe('release.yml', () => {
  const release = loadWorkflow(join(WORKFLOWS_DIR, 'release.yml'));

  it('runs on semver tags only, with contents: write and nothing else', () => {
    expect(Object.keys(release.on)).toEqual(['push']);
    expect(release.on.push).toEqual({ tags: ['v*.*.*'] });
    expect(release.permissions).toEqual({ contents: 'write' });
  });
});
