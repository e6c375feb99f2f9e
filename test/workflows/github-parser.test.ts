import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { parseActionFile, parseActionText, parseWorkflowFile } from './replay/github-parser';

/**
 * GitHub's own parser is the judge of everything under actions/ and .github/: a file it refuses fails
 * at "Set up job" on a real runner, whatever the replays say.
 */

const ROOT = join(__dirname, '..', '..');
const WORKFLOWS_DIR = join(ROOT, '.github', 'workflows');

const workflowFiles = readdirSync(WORKFLOWS_DIR)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => join(WORKFLOWS_DIR, name));
const actionFiles = readdirSync(join(ROOT, 'actions'))
  .map((name) => join(ROOT, 'actions', name, 'action.yml'))
  .filter((file) => existsSync(file));
const rel = (file: string): string => relative(ROOT, file);

describe("GitHub's workflow parser (@actions/workflow-parser)", () => {
  it('finds the four actions and four workflows', () => {
    expect(actionFiles).toHaveLength(4);
    expect(workflowFiles.length).toBeGreaterThanOrEqual(4);
  });

  it.each(actionFiles.map((file) => [rel(file), file]))('%s parses with 0 errors', (_name, file) => {
    const { errors, template } = parseActionFile(file);
    expect(errors).toEqual([]);
    expect(template?.runs.using).toBe('node24');
  });

  it.each(workflowFiles.map((file) => [rel(file), file]))(
    '%s parses and converts with 0 errors',
    async (_name, file) => {
      const { errors, template } = await parseWorkflowFile(file);
      expect(errors).toEqual([]);
      expect(template?.jobs.length).toBeGreaterThan(0);
    },
  );

  it('refuses an action whose input description holds an expression (the mutation that broke every job)', () => {
    for (const file of actionFiles.filter((path) => readFileSync(path, 'utf8').includes('github-token:'))) {
      const mutated = readFileSync(file, 'utf8').replace(
        /(github-token:\n\s+description: >-\n\s+)/,
        '$1Token for the PR comment, e.g. ${{ github.token }}. ',
      );
      expect(mutated).not.toBe(readFileSync(file, 'utf8'));
      const { errors, template } = parseActionText(rel(file), mutated);
      expect(template).toBeUndefined();
      expect(errors).toEqual([expect.stringMatching(/Unrecognized named-value: 'github'/)]);
    }
  });

  it('refuses an unknown runs.using and an unknown key', () => {
    const unknownNode = parseActionText(
      'action.yml',
      'name: x\ndescription: x\nruns:\n  using: node99\n  main: index.js\n',
    );
    expect(unknownNode.errors.join('\n')).toMatch(/node99/);
    const typo = parseActionText(
      'action.yml',
      'name: x\ndescription: x\nruns:\n  using: node24\n  mian: index.js\n',
    );
    expect(typo.errors.join('\n')).toMatch(/mian/);
  });
});
