import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { nodeBinary, type NodeRuntime } from '../../bundle/node-runtimes';
import { interpolate, type EvaluationScope } from './expressions';
import { parseActionFile } from './github-parser';
import type { JobRuntime } from './job-runtime';

/** The metadata of a `uses: ./...` action, read from its action.yml the way the runner does. */
export interface ActionMetadata {
  readonly directory: string;
  readonly inputs: Readonly<Record<string, { readonly default?: string; readonly required?: boolean }>>;
  readonly outputs: readonly string[];
  readonly using: NodeRuntime;
  readonly main: string;
  readonly post?: string;
}

/**
 * Reads action.yml through GitHub's own parser, so a file the runner would refuse at "Set up job" (an
 * unknown key, a context where none is allowed, an unknown `runs.using`) fails the replay the same way.
 */
export function readActionMetadata(directory: string): ActionMetadata {
  const file = ['action.yml', 'action.yaml']
    .map((name) => join(directory, name))
    .find((path) => existsSync(path));
  if (!file) throw new Error(`Can't find 'action.yml' or 'action.yaml' under '${directory}'`);
  const { errors, template } = parseActionFile(file);
  if (!template) throw new Error(`GitHub's parser refuses ${file}:\n${errors.join('\n')}`);
  const { runs } = template;
  if (runs.using === 'composite' || runs.using === 'docker') {
    throw new Error(
      `${file}: the replay runs JavaScript actions (runs.using nodeNN), got using=${runs.using}`,
    );
  }
  const using = runs.using;
  if (using !== 'node24' && using !== 'node20') {
    throw new Error(`${file}: runs.using ${using} is not on GitHub's runners any more; use node24`);
  }
  if (runs.pre !== undefined) throw new Error(`${file}: runs.pre is not supported by the replay`);
  const inputs = Object.fromEntries(
    (template.inputs ?? []).map((input) => [
      input.id,
      {
        ...(input.default === undefined ? {} : { default: input.default.toString() }),
        ...(input.required === undefined ? {} : { required: input.required }),
      },
    ]),
  );
  return {
    directory,
    inputs,
    outputs: (template.outputs ?? []).map((output) => output.id),
    using,
    main: resolve(directory, runs.main),
    ...(runs.post === undefined ? {} : { post: resolve(directory, runs.post) }),
  };
}

/** `INPUT_<NAME>` as the runner names it: upper case, spaces to underscores, hyphens kept. */
function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * The inputs the runner hands the action: `with:` values plus action.yml defaults (evaluated, since a
 * default may be an expression such as `${{ github.token }}`). An input the action does not declare
 * fails here; on GitHub it is only a warning, and a silently ignored typo is exactly what a replay should catch.
 */
export function actionInputs(
  metadata: ActionMetadata,
  given: Readonly<Record<string, string>>,
  scope: EvaluationScope,
): Record<string, string> {
  const unexpected = Object.keys(given).filter((name) => !(name in metadata.inputs));
  if (unexpected.length > 0) {
    throw new Error(
      `Unexpected input(s) ${unexpected.map((name) => `'${name}'`).join(', ')} for ${metadata.directory}; valid inputs are ${Object.keys(metadata.inputs).join(', ')}`,
    );
  }
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries(metadata.inputs)) {
    const value =
      given[name] ?? (spec.default === undefined ? undefined : interpolate(String(spec.default), scope));
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** The first `::error::` annotations a step printed, which is what a person reading the log looks for. */
export function errorAnnotations(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('::error'))
    .map((line) =>
      line
        .replace(/^::error[^:]*::/, '')
        .replace(/%0A/g, '\n')
        .replace(/%25/g, '%'),
    )
    .slice(0, 3);
}

export interface NodeActionRun {
  readonly job: JobRuntime;
  readonly metadata: ActionMetadata;
  readonly inputs: Readonly<Record<string, string>>;
  readonly stepEnv: Readonly<Record<string, string>>;
  readonly stepId: string;
}

/** Runs the action's committed bundle like the runner: `node <main>` with INPUT_* and the file commands. */
export async function runNodeAction(
  run: NodeActionRun,
): Promise<{ outputs: Record<string, string>; log: string; exitCode: number }> {
  const { job, metadata } = run;
  if (!existsSync(metadata.main))
    throw new Error(
      `${metadata.directory}: runs.main ${metadata.main} does not exist (is the bundle built?)`,
    );
  const inputEnv = Object.fromEntries(
    Object.entries(run.inputs).map(([name, value]) => [inputVariable(name), value]),
  );
  const actionEnv = { ...inputEnv, GITHUB_ACTION: run.stepId, GITHUB_ACTION_PATH: metadata.directory };
  const files = job.newStepFiles();
  const result = await job.exec(nodeBinary(metadata.using), [metadata.main], {
    cwd: job.workspace,
    env: job.processEnv(run.stepEnv, files, actionEnv),
  });
  const { outputs, state } = job.collect(files);
  if (metadata.post) schedulePost(run, metadata.post, { ...actionEnv, ...stateVariables(state) });
  return { outputs, log: result.output, exitCode: result.exitCode };
}

function stateVariables(state: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
}

function schedulePost(run: NodeActionRun, script: string, env: Record<string, string>): void {
  const { job } = run;
  job.postSteps.push({
    name: `Post ${run.stepId}`,
    run: async () => {
      const files = job.newStepFiles();
      const result = await job.exec(nodeBinary(run.metadata.using), [script], {
        cwd: job.workspace,
        env: job.processEnv(run.stepEnv, files, env),
      });
      job.collect(files);
      if (result.exitCode !== 0)
        throw new Error(`post step of ${run.stepId} failed: ${result.output.slice(-2000)}`);
    },
  });
}
