import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import {
  convertActionTemplate,
  parseAction,
  type ActionTemplate,
} from '@actions/workflow-parser/actions/index';
import type { FileReference } from '@actions/workflow-parser/workflows/file-reference';

/**
 * GitHub's own parser for workflow and action files (`@actions/workflow-parser`, the package behind the
 * Actions language service): the same schema and expression rules the runner applies at "Set up job".
 * Errors come back as GitHub words them, prefixed with the file, line and column.
 */

const ROOT = join(__dirname, '..', '..', '..');

export interface ParsedAction {
  readonly errors: readonly string[];
  readonly template?: ActionTemplate;
}

export interface ParsedWorkflow {
  readonly errors: readonly string[];
  readonly template?: WorkflowTemplate;
}

/** A path as the errors name it: relative to the repository root when inside it. */
function displayName(file: string): string {
  const inside = relative(ROOT, file);
  return inside.startsWith('..') ? file : inside;
}

/** Parses action metadata (action.yml) text; `name` is what the errors call the file. */
export function parseActionText(name: string, content: string): ParsedAction {
  const trace = new NoOperationTraceWriter();
  const { context, value } = parseAction({ name, content }, trace);
  const parseErrors = context.errors.getErrors().map((error) => error.message);
  if (value === undefined || parseErrors.length > 0) return { errors: parseErrors };
  const template = convertActionTemplate(context, value);
  const errors = context.errors.getErrors().map((error) => error.message);
  return errors.length > 0 ? { errors } : { errors, template };
}

export function parseActionFile(file: string): ParsedAction {
  return parseActionText(displayName(file), readFileSync(file, 'utf8'));
}

/**
 * Parses and converts a workflow the way GitHub loads it, following `uses: ./.github/workflows/...` into
 * reusable workflows of this repository (so a caller's `with:` is checked against the callee's inputs).
 */
export async function parseWorkflowFile(file: string): Promise<ParsedWorkflow> {
  const trace = new NoOperationTraceWriter();
  const { context, value } = parseWorkflow(
    { name: displayName(file), content: readFileSync(file, 'utf8') },
    trace,
  );
  if (value === undefined) return { errors: context.errors.getErrors().map((error) => error.message) };
  const template = await convertWorkflowTemplate(context, value, localWorkflows, {
    fetchReusableWorkflowDepth: 1,
  });
  const errors = [
    ...context.errors.getErrors().map((error) => error.message),
    ...(template.errors ?? []).map((error) => error.Message),
  ];
  return { errors: [...new Set(errors)], template };
}

/** Reusable workflows are read from this checkout; a remote one is not available offline. */
const localWorkflows = {
  getFileContent(reference: FileReference): Promise<{ name: string; content: string }> {
    if ('repository' in reference) {
      return Promise.reject(new Error(`remote reusable workflow ${reference.owner}/${reference.repository}`));
    }
    const path = join(ROOT, reference.path);
    return Promise.resolve({ name: displayName(path), content: readFileSync(path, 'utf8') });
  },
};
