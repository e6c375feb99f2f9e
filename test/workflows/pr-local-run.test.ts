import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startLocalAws, type LocalAws } from '../../local';
import { formatNumber } from '../../src/report/format';
import { firstFeatureRow, localClients, predict } from './replay/endpoint-check';
import { startFakeGitHubApi, type FakeGitHubApi } from './replay/fake-github-api';
import { assertReplaySucceeded, replayWorkflow, type JobRecord } from './replay/replayer';

const ROOT = join(__dirname, '..', '..');
const BASE_SHA = 'b'.repeat(40);
const BASE_RMSE = 2.5;
const EVALUATION_RMSE = 'Evaluate/EvaluationReport/regression_metrics.rmse.value';

/** The base commit: the working tree with another default RMSE threshold. */
function baseCommit(checkout: string): void {
  const file = join(checkout, 'pipeline', 'abalone.ts');
  const source = readFileSync(file, 'utf8');
  const edited = source.replace('const DEFAULT_RMSE_THRESHOLD = 3.0;', 'const DEFAULT_RMSE_THRESHOLD = 3.5;');
  if (edited === source) throw new Error(`${file}: the default RMSE threshold moved; update this test`);
  writeFileSync(file, edited);
}

/**
 * pr.yml's definition and local-run jobs, replayed step by step from the YAML: the local AWS start stands
 * in for the test's in-process one, the base branch is the working tree with another RMSE threshold, and
 * the rest runs for real — `mlops pipeline synth` (head and base), the committed action bundles
 * (upsert → wait → approved-model → deploy-endpoint), `cdk synth` and the metrics cache.
 */
describe('pr.yml definition and local-run jobs (replayed against the local AWS)', () => {
  let work: string;
  let aws: LocalAws;
  let github: FakeGitHubApi;
  let job: JobRecord;
  let definitionJob: JobRecord;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'replay-pr-'));
    aws = await startLocalAws({ port: 0, stateDir: join(work, 'aws'), quiet: true });
    github = await startFakeGitHubApi();
    const baseMetrics = join(work, 'base-metrics');
    mkdirSync(baseMetrics);
    writeFileSync(
      join(baseMetrics, 'metrics.json'),
      JSON.stringify({
        format: 'mlops-metrics/1',
        executionArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/abalone-pipeline/execution/base',
        status: 'Succeeded',
        commit: BASE_SHA,
        ref: 'refs/heads/main',
        recordedAt: '2026-11-24T10:00:00.000Z',
        metrics: { [EVALUATION_RMSE]: BASE_RMSE, 'Train/validation:rmse': 2.4 },
      }),
    );
    const result = await replayWorkflow({
      workflow: '.github/workflows/pr.yml',
      repoRoot: ROOT,
      workDir: join(work, 'replay'),
      awsEndpoint: aws.endpoint,
      jobs: ['definition', 'local-run'],
      commits: { [BASE_SHA]: baseCommit },
      githubApiUrl: github.url,
      event: {
        name: 'pull_request',
        ref: 'refs/pull/7/merge',
        payload: {
          number: 7,
          pull_request: { number: 7, base: { ref: 'main', sha: BASE_SHA }, head: { ref: 'feature' } },
        },
      },
      // What the push run on main at the base commit saved (pr.yml's last steps on push).
      caches: [{ key: `mlops-metrics-${BASE_SHA}`, path: 'build/metrics', source: baseMetrics }],
    });
    assertReplaySucceeded(result);
    const byKey = (key: string) => result.jobs.find((record) => record.key === key) as JobRecord;
    job = byKey('local-run');
    definitionJob = byKey('definition');
  }, 300_000);

  afterAll(async () => {
    await aws?.stop();
    await github?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const evaluationRmse = (): number => {
    const report = job.steps.find((step) => step.id === 'wait')?.outputs['evaluation-report'] ?? '{}';
    return Number(
      (JSON.parse(report) as { regression_metrics?: { rmse?: { value?: number } } }).regression_metrics?.rmse
        ?.value,
    );
  };

  const rmse = (): number =>
    Number(job.steps.find((step) => step.id === 'deploy')?.outputs['smoke-test-rmse']);

  it('runs the repository’s own actions in order', () => {
    expect(job.key).toBe('local-run');
    const actions = job.steps.filter((step) => step.uses?.startsWith('./')).map((step) => step.uses);
    expect(actions).toEqual([
      './actions/upsert-sagemaker-pipeline',
      './actions/wait-for-execution',
      './actions/approved-model',
      './actions/deploy-endpoint',
    ]);
    expect(job.steps.find((step) => step.id === 'wait')?.outputs.status).toBe('Succeeded');
  });

  it('diffs the definition against the base branch in the definition job’s summary', () => {
    expect(definitionJob.summary).toContain('### Pipeline definition: changes against main');
    expect(definitionJob.summary).toMatch(/~ RmseThreshold \(Float\)\n\s+~ DefaultValue: 3\.5 → 3/);
  });

  it('ends with the endpoint RMSE in the job summary, after the metrics against the base commit', () => {
    expect(rmse()).toBeGreaterThan(1);
    expect(rmse()).toBeLessThan(3.5);
    expect(job.summary).toMatch(
      new RegExp(`### Endpoint RMSE on the \\d+ held-out rows: ${rmse().toFixed(4)}\\n*$`),
    );
    expect(job.summary).toContain('### Metrics against the base branch');
    expect(job.summary).toContain('**Within every limit** (1).');
    expect(job.summary).toContain(`the run for the base commit \`${BASE_SHA.slice(0, 12)}\``);
    expect(job.summary).toContain('```mermaid');
  });

  it('keeps one sticky PR comment: definition diff, DAG, metrics against the base, endpoint RMSE', () => {
    expect(github.comments).toHaveLength(1);
    const [comment] = github.comments;
    expect(comment?.issue).toBe(7);
    const body = comment?.body ?? '';
    const sections = [...body.matchAll(/<!-- section:([\w-]+) -->/g)].map((match) => match[1]);
    expect(sections).toEqual([
      'upsert-sagemaker-pipeline',
      'wait-for-execution',
      'deploy-endpoint-abalone-endpoint-pr',
    ]);
    expect(body).toContain(
      `### Definition changes against the base branch \`main\` (\`${BASE_SHA.slice(0, 12)}\`)`,
    );
    expect(body).toContain('~ DefaultValue: 3.5 → 3');
    expect(body).toContain('```mermaid');
    const evaluation = evaluationRmse();
    const change = evaluation - BASE_RMSE;
    expect(body).toContain(
      `| ${EVALUATION_RMSE} | 2.5 | ${formatNumber(evaluation)} | ${change < 0 ? '-' : '+'}${formatNumber(Math.abs(change))} (`,
    );
    expect(body).toContain(`**Smoke test RMSE:** ${rmse().toFixed(4)}`);
    expect(github.requests.filter((request) => request.startsWith('POST'))).toHaveLength(1);
  });

  it('writes this run’s metrics record over the restored baseline, for push runs to cache', () => {
    const written = JSON.parse(
      readFileSync(join(job.workspace ?? '', 'build', 'metrics', 'metrics.json'), 'utf8'),
    ) as { format: string; status: string; commit: string; metrics: Record<string, number> };
    expect(written).toMatchObject({ format: 'mlops-metrics/1', status: 'Succeeded' });
    expect(written.commit).not.toBe(BASE_SHA);
    expect(written.metrics[EVALUATION_RMSE]).toBe(evaluationRmse());
  });

  it('leaves an endpoint that answers', async () => {
    const clients = localClients(aws.endpoint);
    const smokeFile = job.steps.find((step) => step.id === 'smoke-test')?.outputs.file ?? '';
    const endpointName = job.steps.find((step) => step.id === 'deploy')?.outputs['endpoint-name'] ?? '';
    expect(endpointName).toBe('abalone-pr');
    const prediction = await predict(
      clients.runtime,
      endpointName,
      await firstFeatureRow(clients.s3, smokeFile),
    );
    expect(prediction).toBeGreaterThan(0);
  });
});

describe('pr.yml definition job when the base commit cannot synthesize a definition', () => {
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'replay-pr-base-'));
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('says why there is nothing to compare, and passes', async () => {
    const result = await replayWorkflow({
      workflow: '.github/workflows/pr.yml',
      repoRoot: ROOT,
      workDir: work,
      // The definition job calls no AWS.
      awsEndpoint: 'http://127.0.0.1:9',
      jobs: ['definition'],
      // A base from before the CLI existed.
      commits: { [BASE_SHA]: (checkout) => rmSync(join(checkout, 'bin', 'mlops.js')) },
      event: {
        name: 'pull_request',
        ref: 'refs/pull/8/merge',
        payload: {
          number: 8,
          pull_request: { number: 8, base: { ref: 'main', sha: BASE_SHA }, head: { ref: 'feature' } },
        },
      },
    });
    assertReplaySucceeded(result);
    const summary = result.jobs[0]?.summary ?? '';
    expect(summary).toContain(
      'The base branch cannot synthesize a definition, so there is nothing to compare:',
    );
    expect(summary).toContain(
      'build/base-branch has no bin/mlops.js: it cannot synthesize a pipeline definition',
    );
  }, 120_000);
});
