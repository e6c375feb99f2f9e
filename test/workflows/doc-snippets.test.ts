import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { Aws } from 'aws-cdk-lib';
import { parse } from 'yaml';

import { foundationNames } from '../../infra/lib/names';
import { parseActionFile } from './replay/github-parser';
import { loadWorkflow, workflowCall } from './replay/workflow-file';

/**
 * Every documented `uses:` of this repository's actions or reusable workflow is checked against what it
 * calls (input names, required inputs, secrets), and every AWS name in a snippet for a real account
 * against the names infra/ creates, so a reader who copies a snippet gets one that works first time.
 */

const ROOT = join(__dirname, '..', '..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`),
  ...readdirSync(join(ROOT, 'actions')).map((name) => `actions/${name}/README.md`),
].filter((file) => file.endsWith('.md') && existsSync(join(ROOT, file)));

interface Snippet {
  readonly where: string;
  readonly language: string;
  readonly text: string;
}

function snippets(file: string): Snippet[] {
  const found: Snippet[] = [];
  const pattern = /^```(\w*)\n([\s\S]*?)^```$/gm;
  const content = readFileSync(join(ROOT, file), 'utf8');
  for (const match of content.matchAll(pattern)) {
    const line = content.slice(0, match.index).split('\n').length;
    found.push({ where: `${file}:${line}`, language: match[1] ?? '', text: match[2] ?? '' });
  }
  return found;
}

const ALL = DOCS.flatMap(snippets);

interface UsesCall {
  readonly where: string;
  readonly uses: string;
  readonly with: Record<string, unknown>;
  readonly secrets?: Record<string, unknown>;
}

/** Every mapping with a `uses:` in a YAML snippet (a step, a job, or a list of steps). */
function usesCalls(snippet: Snippet): UsesCall[] {
  const calls: UsesCall[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      if (typeof record.uses === 'string') {
        calls.push({
          where: snippet.where,
          uses: record.uses,
          with: (record.with ?? {}) as Record<string, unknown>,
          ...(record.secrets === undefined ? {} : { secrets: record.secrets as Record<string, unknown> }),
        });
      }
      Object.values(record).forEach(visit);
    }
  };
  visit(parse(snippet.text));
  return calls;
}

const calls = ALL.filter((snippet) => snippet.language === 'yaml').flatMap(usesCalls);

/** `./actions/<name>` or `<owner>/<repo>/actions/<name>@<ref>`: this repository's action `<name>`. */
function actionOf(uses: string): string | undefined {
  return /^(?:\.\/|[\w.-]+\/[\w.-]+\/)actions\/([\w-]+)(?:@.+)?$/.exec(uses)?.[1];
}

function isReusableWorkflow(uses: string): boolean {
  return /^(?:\.\/|[\w.-]+\/[\w.-]+\/)\.github\/workflows\/train-and-deploy\.yml(?:@.+)?$/.test(uses);
}

/** Which names are missing from `given` and which `given` names are not declared. */
function checkNames(
  declared: Record<string, { required: boolean }>,
  given: Record<string, unknown>,
): { unknown: string[]; missing: string[] } {
  return {
    unknown: Object.keys(given).filter((name) => !(name in declared)),
    missing: Object.entries(declared)
      .filter(([name, spec]) => spec.required && !(name in given))
      .map(([name]) => name),
  };
}

describe('documented snippets', () => {
  it('finds the snippets that call the actions and the reusable workflow', () => {
    expect(calls.filter((call) => actionOf(call.uses)).length).toBeGreaterThanOrEqual(8);
    expect(calls.filter((call) => isReusableWorkflow(call.uses)).map((call) => call.where)).toEqual([
      expect.stringMatching(/^README\.md:/),
    ]);
  });

  it.each(calls.filter((call) => actionOf(call.uses)).map((call) => [call.where, call.uses, call]))(
    '%s: %s passes the inputs its action.yml declares, required ones included',
    (_where, _uses, call) => {
      const name = actionOf(call.uses) ?? '';
      const { template, errors } = parseActionFile(join(ROOT, 'actions', name, 'action.yml'));
      expect(errors).toEqual([]);
      const declared = Object.fromEntries(
        (template?.inputs ?? []).map((input) => [
          input.id,
          { required: input.required === true && input.default === undefined },
        ]),
      );
      expect(checkNames(declared, call.with)).toEqual({ unknown: [], missing: [] });
    },
  );

  it.each(calls.filter((call) => isReusableWorkflow(call.uses)).map((call) => [call.where, call.uses, call]))(
    '%s: %s passes the inputs and secrets train-and-deploy.yml declares, required ones included',
    (_where, _uses, call) => {
      const file = join(ROOT, '.github', 'workflows', 'train-and-deploy.yml');
      const spec = workflowCall(loadWorkflow(file), file);
      const declared = (entries: Record<string, { required?: boolean; default?: unknown }> | undefined) =>
        Object.fromEntries(
          Object.entries(entries ?? {}).map(([name, input]) => [
            name,
            { required: input.required === true && input.default === undefined },
          ]),
        );
      expect(checkNames(declared(spec.inputs), call.with)).toEqual({ unknown: [], missing: [] });
      expect(checkNames(declared(spec.secrets), call.secrets ?? {})).toEqual({ unknown: [], missing: [] });
    },
  );
});

describe('AWS names in snippets for a real account', () => {
  const context = (
    JSON.parse(readFileSync(join(ROOT, 'infra', 'cdk.json'), 'utf8')) as { context: Record<string, string> }
  ).context;
  const names = foundationNames({ projectName: context.projectName ?? '' });
  const forAccount = ALL.filter((snippet) => /\b(?!0{12})\d{12}\b/.test(snippet.text));

  it('finds them (README: the run against AWS, the one-time setup, the workflow)', () => {
    expect(
      forAccount.filter((snippet) => snippet.where.startsWith('README.md')).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it.each(forAccount.map((snippet) => [snippet.where, snippet]))(
    '%s uses the names infra/ creates',
    (_where, snippet) => {
      const text = snippet.text;
      const account = /\b(?!0{12})(\d{12})\b/.exec(text)?.[1] ?? '';
      const region = /\b([a-z]{2}-[a-z]+-\d)\b/.exec(text)?.[1] ?? '';
      const physical = (name: string) => name.replace(Aws.ACCOUNT_ID, account).replace(Aws.REGION, region);
      for (const [, role] of text.matchAll(/arn:aws:iam::\d{12}:role\/([\w+=,.@-]+)/g)) {
        expect([names.sageMakerRole, names.endpointDeploymentRole]).toContain(role);
      }
      for (const [, fn] of text.matchAll(/arn:aws:lambda:[\w-]+:\d{12}:function:([\w-]+)/g)) {
        expect(fn).toBe(names.recordModelNameFunction);
      }
      for (const [, bucket] of text.matchAll(/--bucket[ =](\S+)/g)) {
        expect(bucket).toBe(physical(names.artifactBucket));
      }
      for (const [, pipeline] of text.matchAll(/(?:--pipeline-name[ =]|pipeline-name: )(\S+)/g)) {
        expect(pipeline).toBe(context.sagemakerPipelineName);
      }
      for (const [, group] of text.matchAll(/(?:--model-package-group[ =]|model-package-group: )(\S+)/g)) {
        expect(group).toBe(context.modelPackageGroupName);
      }
      for (const [, stack] of text.matchAll(/stack-name: (\S+)/g)) {
        expect(stack).toBe(context.endpointStackPrefix);
      }
    },
  );

  it('the one-time setup bootstraps the CDK and says how to reuse an existing OIDC provider', () => {
    const setup = forAccount.find((snippet) => snippet.text.includes('cdk deploy MlopsFoundation'));
    expect(setup?.text).toMatch(/cdk bootstrap aws:\/\/\d{12}\/[a-z]{2}-[a-z]+-\d/);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(
      /-c githubOidcProviderArn=arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com/,
    );
  });
});

describe('the documents', () => {
  it('cover every snippet file', () => {
    expect(DOCS.map((file) => relative(ROOT, join(ROOT, file)))).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/workflows.md',
        'actions/upsert-sagemaker-pipeline/README.md',
      ]),
    );
  });
});
