import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startLocalAws, type LocalAws } from '../../local';
import { firstFeatureRow, localClients, predict } from './replay/endpoint-check';
import { startFakeGitHubApi, type FakeGitHubApi } from './replay/fake-github-api';
import { assertReplaySucceeded, replayWorkflow, type JobRecord } from './replay/replayer';

const ROOT = join(__dirname, '..', '..');
const BASE_SHA = 'b'.repeat(40);
const BASE_RMSE = 2.5;

/**
 * pr.yml's local-run job, replayed step by step from the YAML: the local AWS start stands in for the
 * test's in-process one, the rest runs for real — `mlops pipeline synth`, the committed action bundles
 * (upsert → wait → approved-model → deploy-endpoint), `cdk synth` and the metrics steps.
 */
describe('pr.yml local-run job (replayed against the local AWS)', () => {
  let work: string;
  let aws: LocalAws;
  let github: FakeGitHubApi;
  let job: JobRecord;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'replay-pr-'));
    aws = await startLocalAws({ port: 0, stateDir: join(work, 'aws'), quiet: true });
    github = await startFakeGitHubApi();
    const baseMetrics = join(work, 'base-metrics');
    mkdirSync(baseMetrics);
    writeFileSync(
      join(baseMetrics, 'metrics.json'),
      JSON.stringify({ sha: BASE_SHA, rmse: BASE_RMSE, pipeline: null }),
    );
    const result = await replayWorkflow({
      workflow: '.github/workflows/pr.yml',
      repoRoot: ROOT,
      workDir: join(work, 'replay'),
      awsEndpoint: aws.endpoint,
      jobs: ['local-run'],
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
    job = result.jobs[0] as JobRecord;
  }, 240_000);

  afterAll(async () => {
    await aws?.stop();
    await github?.close();
    rmSync(work, { recursive: true, force: true });
  });

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

  it('ends with the endpoint RMSE, compared with the base branch, in the job summary', () => {
    expect(rmse()).toBeGreaterThan(1);
    expect(rmse()).toBeLessThan(3.5);
    const delta = rmse() - BASE_RMSE;
    expect(job.summary).toContain(`### Endpoint RMSE on the held-out rows: ${rmse().toFixed(4)}`);
    expect(job.summary).toContain(`| base \`${BASE_SHA.slice(0, 12)}\` (the base commit) | ${BASE_RMSE} |`);
    expect(job.summary).toContain(
      `| ${rmse().toFixed(4)} (${delta >= 0 ? '+' : ''}${delta.toFixed(4)} against base) |`,
    );
    expect(job.summary).toContain('```mermaid');
  });

  it('keeps one sticky PR comment with the pipeline DAG and the endpoint RMSE', () => {
    expect(github.comments).toHaveLength(1);
    const [comment] = github.comments;
    expect(comment?.issue).toBe(7);
    expect(comment?.body).toContain('```mermaid');
    expect(comment?.body).toContain(String(rmse()).slice(0, 4));
    expect(github.requests.filter((request) => request.startsWith('PATCH'))).toHaveLength(1);
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
