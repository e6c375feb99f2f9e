import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { assertReplaySucceeded, replayWorkflow, type ReplayOptions } from './replay/replayer';

/** A small repository with workflows that exercise each feature of the replay engine (no AWS needed). */
const FIXTURE: Record<string, string> = {
  '.github/workflows/main.yml': `
name: engine
on:
  push: {}
  workflow_dispatch:
    inputs:
      greeting: { default: hello }
permissions: { contents: read }
env: { TOP: top }
jobs:
  build:
    runs-on: ubuntu-latest
    env: { JOB: "job-\${{ env.TOP }}" }
    outputs:
      word: \${{ steps.act.outputs.echoed }}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - run: echo "ADDED=added" >> "$GITHUB_ENV"
      - id: shell
        run: echo "seen=$TOP/$JOB/$ADDED/\${{ inputs.greeting }}" >> "$GITHUB_OUTPUT"
      - id: act
        uses: ./actions/echo
        with:
          text: \${{ steps.shell.outputs.seen }}
      - id: never
        if: github.event_name == 'pull_request'
        run: exit 1
      - run: mkdir -p out && echo payload > out/file.txt
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
        with: { name: out, path: out }
  call:
    needs: build
    permissions: { id-token: write, contents: read }
    uses: ./.github/workflows/called.yml
    with:
      word: \${{ needs.build.outputs.word }}
      flag: true
    secrets:
      role: \${{ vars.ROLE }}
  after:
    needs: call
    runs-on: ubuntu-latest
    outputs:
      result: \${{ steps.final.outputs.result }}
    steps:
      - id: final
        run: echo "result=\${{ needs.call.outputs.final }}" >> "$GITHUB_OUTPUT"
`,
  '.github/workflows/called.yml': `
on:
  workflow_call:
    inputs:
      word: { type: string, required: true }
      flag: { type: boolean, default: false }
      region: { type: string, default: eu-west-1 }
    secrets:
      role: { required: true }
    outputs:
      final: { value: "\${{ jobs.inner.outputs.combined }}" }
jobs:
  inner:
    runs-on: ubuntu-latest
    environment: staging
    outputs:
      combined: \${{ steps.c.outputs.combined }}
    steps:
      - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4.0.2
        with: { role-to-assume: "\${{ secrets.role }}", aws-region: "\${{ inputs.region }}" }
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0
        with: { name: out, path: got }
      - id: c
        run: echo "combined=\${{ inputs.word }}|\${{ inputs.flag }}|$(cat got/file.txt)|$AWS_ENDPOINT_URL|$AWS_REGION" >> "$GITHUB_OUTPUT"
`,
  '.github/workflows/failing.yml': `
on: push
jobs:
  first:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - id: boom
        run: echo "::error::it broke"; exit 3
      - id: skipped
        run: echo never
      - id: cleanup
        if: failure()
        run: echo "ran=yes" >> "$GITHUB_OUTPUT"
      - id: typo
        if: always()
        uses: ./actions/echo
        with: { txt: oops }
      - id: creds
        if: always()
        uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4.0.2
        with: { role-to-assume: "arn:aws:iam::123456789012:role/deploy", aws-region: us-east-1 }
  second:
    needs: first
    runs-on: ubuntu-latest
    steps:
      - run: echo unreachable
`,
  'actions/echo/action.yml': `
name: echo
description: test action
inputs:
  text: { description: what to echo, required: true }
  suffix: { description: appended, default: "\${{ github.event_name }}" }
outputs:
  echoed: { description: the text }
runs:
  using: node20
  main: dist/index.js
  post: dist/post.js
`,
  'actions/echo/dist/index.js': `
const fs = require('fs');
fs.appendFileSync(process.env.GITHUB_OUTPUT, 'echoed=' + process.env['INPUT_TEXT'] + '-' + process.env['INPUT_SUFFIX'] + '\\n');
fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, '### echoed ' + process.env['INPUT_TEXT'] + '\\n');
fs.appendFileSync(process.env.GITHUB_STATE, 'started=yes\\n');
`,
  'actions/echo/dist/post.js': `
require('fs').writeFileSync(process.env.RUNNER_TEMP + '/post-ran', process.env.STATE_started);
`,
};

describe('replayWorkflow (engine)', () => {
  // Each replay starts node processes for its steps; 5 s is too little on a loaded two-core machine.
  jest.setTimeout(60_000);
  let repo: string;
  let work: string;

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'replay-repo-'));
    for (const [file, text] of Object.entries(FIXTURE)) {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      writeFileSync(join(repo, file), text);
    }
    execFileSync('git', ['init', '-q'], { cwd: repo });
  });

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'replay-work-'));
  });

  afterEach(() => rmSync(work, { recursive: true, force: true }));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  const options = (workflow: string): ReplayOptions => ({
    workflow,
    repoRoot: repo,
    workDir: work,
    sha: 'f'.repeat(40),
    awsEndpoint: 'http://127.0.0.1:1',
    event: { name: 'push' },
    vars: { ROLE: 'arn:aws:iam::123456789012:role/deploy' },
  });

  it('runs jobs in needs order through env, outputs, a local action, artifacts and a reusable workflow', async () => {
    const result = await replayWorkflow(options('.github/workflows/main.yml'));
    assertReplaySucceeded(result);
    expect(result.jobs.map((job) => `${job.key}:${job.result}`)).toEqual([
      'build:success',
      'call/inner:success',
      'call:success',
      'after:success',
    ]);
    const after = result.jobs.find((job) => job.key === 'after');
    expect(after?.outputs.result).toBe(
      'top/job-top/added/hello-push|true|payload|http://127.0.0.1:1|eu-west-1',
    );
    const build = result.jobs.find((job) => job.key === 'build');
    expect(build?.steps.find((step) => step.id === 'never')?.outcome).toBe('skipped');
    expect(build?.summary).toContain('### echoed top/job-top/added/hello');
    expect(result.jobs.find((job) => job.key === 'call/inner')?.environment).toBe('staging');
    expect(readFileSync(join(work, 'jobs', 'build', 'temp', 'post-ran'), 'utf8')).toBe('yes');
  });

  it('fails loudly: failed steps, if: failure(), unknown action inputs, missing id-token permission, skipped dependents', async () => {
    const result = await replayWorkflow(options('.github/workflows/failing.yml'));
    const [first, second] = result.jobs;
    const step = (id: string) => first?.steps.find((candidate) => candidate.id === id);
    expect(first?.result).toBe('failure');
    expect(step('boom')?.error).toContain('it broke');
    expect(step('skipped')?.outcome).toBe('skipped');
    expect(step('cleanup')?.outputs).toEqual({ ran: 'yes' });
    expect(step('typo')?.error).toContain("Unexpected input(s) 'txt'");
    expect(step('creds')?.error).toContain('id-token: write');
    expect(second?.result).toBe('skipped');
    expect(() => assertReplaySucceeded(result)).toThrow(
      'job first, step \'Run echo "::error::it broke"; exit 3\' failed',
    );
  });

  it('refuses inputs a workflow does not declare and jobs whose needs were left out', async () => {
    await expect(
      replayWorkflow({
        ...options('.github/workflows/main.yml'),
        event: { name: 'workflow_dispatch', inputs: { nope: 'x' } },
      }),
    ).rejects.toThrow("workflow_dispatch input 'nope' is not declared");
    await expect(
      replayWorkflow({ ...options('.github/workflows/main.yml'), jobs: ['after'] }),
    ).rejects.toThrow("job 'after' needs call, which the replay was told to leave out");
    expect(existsSync(join(work, 'artifacts'))).toBe(false);
  });
});
