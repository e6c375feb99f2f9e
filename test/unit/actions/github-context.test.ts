import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { mergeSection } from '../../../src/github/comment-sections';
import {
  readRunContext,
  runDescription,
  runDisplayName,
  runTags,
  tagValue,
} from '../../../src/github/context';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

test('reads the run from the runner environment and the pull request from the event payload', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'context-'));
  try {
    const eventFile = path.join(dir, 'event.json');
    fs.writeFileSync(
      eventFile,
      JSON.stringify({ pull_request: { number: 12, base: { ref: 'main', sha: 'ba5e' } } }),
    );
    Object.assign(process.env, {
      GITHUB_REPOSITORY: 'acme/models',
      GITHUB_SHA: 'f00dfeed',
      GITHUB_REF: 'refs/pull/12/merge',
      GITHUB_RUN_ID: '77',
      GITHUB_RUN_ATTEMPT: '2',
      GITHUB_SERVER_URL: 'https://ghe.example',
      GITHUB_API_URL: 'https://ghe.example/api/v3',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventFile,
    });
    const context = readRunContext();
    expect(context).toMatchObject({
      repository: 'acme/models',
      runId: 77,
      runAttempt: 2,
      runUrl: 'https://ghe.example/acme/models/actions/runs/77/attempts/2',
      pullRequest: 12,
      base: { ref: 'main', sha: 'ba5e' },
      apiUrl: 'https://ghe.example/api/v3',
    });
    expect(runDescription(context)).toBe(
      'Started from acme/models@f00dfeed (refs/pull/12/merge) by https://ghe.example/acme/models/actions/runs/77/attempts/2',
    );
    expect(runDisplayName(context)).toBe('models-run-77-2');
    expect(runTags(context).map((tag) => tag.Key)).toEqual([
      'github:repository',
      'github:sha',
      'github:ref',
      'github:run-url',
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('outside GitHub there is no run to tag or name', () => {
  for (const name of Object.keys(process.env).filter((key) => key.startsWith('GITHUB_')))
    delete process.env[name];
  const context = readRunContext();
  expect(runTags(context)).toEqual([]);
  expect(runDisplayName(context)).toBeUndefined();
});

test('tag values keep only what SageMaker accepts', () => {
  expect(tagValue('feature/x?y#1')).toBe('feature/x-y-1');
  expect(tagValue('a'.repeat(300))).toHaveLength(256);
});

test('the sticky comment keeps one marker and replaces only its own section', () => {
  const first = mergeSection(undefined, {
    commentKey: 'mlops',
    section: 'wait-for-execution',
    content: 'run 1',
  });
  const second = mergeSection(first, {
    commentKey: 'mlops',
    section: 'deploy-endpoint-staging',
    content: 'deployed',
  });
  const third = mergeSection(second, {
    commentKey: 'mlops',
    section: 'wait-for-execution',
    content: 'run 2',
  });
  expect(third.match(/<!-- mlops-sticky-comment:mlops -->/g)).toHaveLength(1);
  expect(third).toContain('run 2');
  expect(third).not.toContain('run 1');
  expect(third.indexOf('section:wait-for-execution')).toBeLessThan(
    third.indexOf('section:deploy-endpoint-staging'),
  );
  expect(() => mergeSection(undefined, { commentKey: 'mlops', section: 'a b', content: '' })).toThrow(
    'must not contain whitespace',
  );
});
