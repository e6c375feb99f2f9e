import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { isPair, isScalar, parseDocument, visit } from 'yaml';

import { loadWorkflow, workflowCall, type JobSpec } from './replay/workflow-file';

const ROOT = join(__dirname, '..', '..');
const WORKFLOWS_DIR = join(ROOT, '.github', 'workflows');

const workflowFiles = readdirSync(WORKFLOWS_DIR)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => join(WORKFLOWS_DIR, name));

const rel = (file: string): string => relative(ROOT, file);

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
    '%s states permissions on every job (never write-all), id-token: write only where a role is assumed',
    (_name, file) => {
      const workflow = loadWorkflow(file);
      expect(workflow.on.workflow_call !== undefined || isEmptyMapping(workflow.permissions)).toBe(true);
      for (const [id, job] of Object.entries(workflow.jobs)) {
        expect({ id, permissions: typeof job.permissions }).toEqual({ id, permissions: 'object' });
        const idToken = (job.permissions as Record<string, string>)['id-token'] === 'write';
        expect({ id, idToken }).toEqual({ id, idToken: assumesRole(job) });
      }
    },
  );

  it.each(workflowFiles.map((file) => [rel(file), file]))(
    '%s checks out with persist-credentials: false (no job pushes with the checkout)',
    (_name, file) => {
      const checkouts = Object.values(loadWorkflow(file).jobs)
        .flatMap((job) => job.steps ?? [])
        .filter((step) => step.uses?.startsWith('actions/checkout@'));
      expect(checkouts.filter((step) => step.with?.['persist-credentials'] !== false)).toEqual([]);
    },
  );
});

function isEmptyMapping(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** A job assumes an AWS role when a step configures AWS credentials, or it calls a workflow that does. */
function assumesRole(job: JobSpec): boolean {
  if (job.uses?.startsWith('./.github/workflows/')) {
    const called = loadWorkflow(join(ROOT, job.uses));
    return Object.values(called.jobs).some((calledJob) => assumesRole(calledJob));
  }
  return (job.steps ?? []).some((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
}

describe('deploy.yml', () => {
  const deploy = loadWorkflow(join(WORKFLOWS_DIR, 'deploy.yml'));
  const reusableFile = join(WORKFLOWS_DIR, 'train-and-deploy.yml');
  const reusable = loadWorkflow(reusableFile);

  it('runs on push to main, on the registry decisions and on demand; only the job that deploys may request an OIDC token', () => {
    expect(Object.keys(deploy.on).sort()).toEqual(['push', 'repository_dispatch', 'workflow_dispatch']);
    expect(deploy.on.push).toEqual({ branches: ['main'] });
    expect(deploy.on.repository_dispatch).toEqual({ types: ['model-approved', 'model-rejected'] });
    expect(deploy.on.workflow_dispatch).toMatchObject({
      inputs: { 'model-package-arn': { type: 'string', default: '' } },
    });
    expect(deploy.permissions).toEqual({});
    expect(deploy.jobs.definition?.permissions).toEqual({ contents: 'read' });
    expect(deploy.jobs['train-and-deploy']?.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  it('deploys production with its own role, staging and training with the other', () => {
    const roles = Object.fromEntries(
      Object.entries(reusable.jobs).map(([id, job]) => [
        id,
        (job.steps ?? [])
          .filter((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'))
          .map((step) => step.with?.['role-to-assume']),
      ]),
    );
    expect(roles).toEqual({
      train: ['${{ secrets.aws-role-arn }}'],
      template: [],
      staging: ['${{ secrets.aws-role-arn }}'],
      production: ['${{ secrets.aws-production-role-arn }}'],
    });
    const call = Object.values(deploy.jobs).find((job) => job.uses !== undefined);
    expect(call?.secrets).toEqual({
      'aws-role-arn': '${{ vars.AWS_ROLE_ARN }}',
      'aws-production-role-arn': '${{ vars.AWS_PRODUCTION_ROLE_ARN }}',
    });
  });

  it('checks out its own actions at the commit of the workflow file, and fails at once where that is unknown', () => {
    for (const job of Object.values(reusable.jobs)) {
      const steps = job.steps ?? [];
      const index = steps.findIndex((step) => step.with?.path === '.mlops-actions');
      expect(steps[index]?.with).toEqual(
        expect.objectContaining({
          repository: '${{ inputs.actions-repository || job.workflow_repository }}',
          ref: '${{ inputs.actions-ref || job.workflow_sha }}',
        }),
      );
      expect(steps[index - 1]?.run).toContain('Set the inputs actions-repository');
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

  it('runs on semver tags only', () => {
    expect(Object.keys(release.on)).toEqual(['push']);
    expect(release.on.push).toEqual({ tags: ['v*.*.*'] });
    expect(release.permissions).toEqual({});
  });

  it('verifies read-only; only a job that runs no npm and restores no cache gets contents: write', () => {
    const jobs = Object.entries(release.jobs);
    const writers = jobs.filter(([, job]) => JSON.stringify(job.permissions).includes('write'));
    expect(writers.map(([id]) => id)).toEqual(['release']);
    const [, writer] = writers[0] ?? [];
    expect(writer?.permissions).toEqual({ contents: 'write' });
    expect(writer?.needs).toBe('verify');
    const steps = writer?.steps ?? [];
    expect(steps.filter((step) => /\b(npm|npx|node)\b/.test(step.run ?? ''))).toEqual([]);
    expect(steps.filter((step) => /^actions\/(setup-node|cache)/.test(step.uses ?? ''))).toEqual([]);
    expect(release.jobs.verify?.permissions).toEqual({ contents: 'read' });
    expect(release.jobs.verify?.steps?.map((step) => step.run)).toEqual(
      expect.arrayContaining(['npm ci', 'npm run check:dist']),
    );
  });
});
