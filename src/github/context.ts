import { Context } from '@actions/github/lib/context';

/** Which workflow run is acting: what tags, descriptions and PR comments point back to. */
export interface RunContext {
  /** `owner/name`. */
  readonly repository?: string;
  readonly sha?: string;
  readonly ref?: string;
  readonly runId?: number;
  readonly runAttempt?: number;
  readonly runUrl?: string;
  readonly workflow?: string;
  readonly job?: string;
  readonly eventName?: string;
  /** The pull request number on pull_request events. */
  readonly pullRequest?: number;
  /** The pull request's base branch and the commit it was at (pull_request events). */
  readonly base?: { readonly ref: string; readonly sha: string };
  readonly apiUrl: string;
}

/** Reads the run from the runner's environment through @actions/github's Context (GITHUB_* variables, event payload). */
export function readRunContext(): RunContext {
  const context = new Context();
  const repository = process.env.GITHUB_REPOSITORY || repositoryFromPayload(context);
  const runId = Number.isFinite(context.runId) ? context.runId : undefined;
  const runAttempt = Number.isFinite(context.runAttempt) ? context.runAttempt : undefined;
  const pullRequest = context.payload.pull_request?.number;
  const base = pullRequestBase(context);
  return {
    ...(repository ? { repository } : {}),
    ...(context.sha ? { sha: context.sha } : {}),
    ...(context.ref ? { ref: context.ref } : {}),
    ...(runId !== undefined ? { runId } : {}),
    ...(runAttempt !== undefined ? { runAttempt } : {}),
    ...(repository && runId !== undefined
      ? {
          runUrl: `${context.serverUrl}/${repository}/actions/runs/${runId}${runAttempt ? `/attempts/${runAttempt}` : ''}`,
        }
      : {}),
    ...(context.workflow ? { workflow: context.workflow } : {}),
    ...(context.job ? { job: context.job } : {}),
    ...(context.eventName ? { eventName: context.eventName } : {}),
    ...(typeof pullRequest === 'number' ? { pullRequest } : {}),
    ...(base ? { base } : {}),
    apiUrl: context.apiUrl,
  };
}

function pullRequestBase(context: Context): RunContext['base'] {
  const base: unknown = context.payload.pull_request?.base;
  if (typeof base !== 'object' || base === null) return undefined;
  const { ref, sha } = base as { ref?: unknown; sha?: unknown };
  return typeof ref === 'string' && typeof sha === 'string' ? { ref, sha } : undefined;
}

function repositoryFromPayload(context: Context): string | undefined {
  const repository = context.payload.repository;
  return repository ? `${repository.owner.login}/${repository.name}` : undefined;
}

// SageMaker tag values: letters, digits, spaces and _.:/=+-@ only, at most 256 characters.
const TAG_VALUE_FORBIDDEN = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;
const TAG_VALUE_MAX = 256;

export function tagValue(text: string): string {
  return text.replace(TAG_VALUE_FORBIDDEN, '-').slice(0, TAG_VALUE_MAX);
}

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** Tags that lead from a pipeline or execution in the console back to the repository, commit and run. */
export function runTags(context: RunContext): Tag[] {
  const entries: [string, string | undefined][] = [
    ['github:repository', context.repository],
    ['github:sha', context.sha],
    ['github:ref', context.ref],
    ['github:run-url', context.runUrl],
    ['github:workflow', context.workflow],
  ];
  return entries.flatMap(([Key, value]) => (value ? [{ Key, Value: tagValue(value) }] : []));
}

/** One sentence naming the run, for execution and stack descriptions. */
export function runDescription(context: RunContext): string | undefined {
  if (!context.repository) return undefined;
  const commit = context.sha ? `@${context.sha.slice(0, 12)}` : '';
  const ref = context.ref ? ` (${context.ref})` : '';
  const run = context.runUrl ? ` by ${context.runUrl}` : '';
  return `Started from ${context.repository}${commit}${ref}${run}`;
}

/** An execution display name that says which run started it (SageMaker allows only letters, digits and hyphens). */
export function runDisplayName(context: RunContext): string | undefined {
  if (context.runId === undefined) return undefined;
  const name = context.repository?.split('/')[1] ?? 'github';
  const base = `${name}-run-${context.runId}-${context.runAttempt ?? 1}`;
  const cleaned = base.replace(/[^A-Za-z0-9-]/g, '-').replace(/^-+/, '');
  return cleaned.slice(-82).replace(/^-+/, '');
}
