import { commentMarker, mergeSection } from './comment-sections';

export interface StickyCommentOptions {
  readonly token: string;
  /** `owner/name`. */
  readonly repository: string;
  readonly issueNumber: number;
  /** The REST API root (GITHUB_API_URL: github.com, GHES, or a local stand-in in tests). */
  readonly apiUrl: string;
  /** Which sticky comment (several workflows may keep their own); default `mlops`. */
  readonly commentKey?: string;
  /** The part of the comment this caller owns, e.g. `wait-for-execution` or `deploy-endpoint-staging`. */
  readonly section: string;
  readonly content: string;
}

export interface StickyCommentResult {
  readonly action: 'created' | 'updated';
  readonly commentId: number;
  readonly url: string;
}

interface IssueComment {
  readonly id: number;
  readonly body?: string;
  readonly html_url: string;
}

const PAGE_SIZE = 100;

/**
 * Creates the PR's sticky comment, or updates it in place when a comment with the hidden marker exists,
 * so re-runs never add a second one. Three REST calls through Node's fetch: Octokit would bring a second
 * HTTP stack into the bundles for them (see docs/actions.md).
 */
export async function upsertStickyComment(options: StickyCommentOptions): Promise<StickyCommentResult> {
  const repo = `${options.apiUrl.replace(/\/+$/, '')}/repos/${checkedRepository(options.repository)}`;
  const commentKey = options.commentKey ?? 'mlops';
  const marker = commentMarker(commentKey);
  const existing = await findComment(options.token, `${repo}/issues/${options.issueNumber}/comments`, marker);
  const body = mergeSection(existing?.body, {
    commentKey,
    section: options.section,
    content: options.content,
  });
  if (existing) {
    const updated = await callGitHub<IssueComment>(
      options.token,
      'PATCH',
      `${repo}/issues/comments/${existing.id}`,
      { body },
    );
    return { action: 'updated', commentId: updated.id, url: updated.html_url };
  }
  const created = await callGitHub<IssueComment>(
    options.token,
    'POST',
    `${repo}/issues/${options.issueNumber}/comments`,
    { body },
  );
  return { action: 'created', commentId: created.id, url: created.html_url };
}

async function findComment(token: string, url: string, marker: string): Promise<IssueComment | undefined> {
  for (let page = 1; ; page++) {
    const comments = await callGitHub<IssueComment[]>(
      token,
      'GET',
      `${url}?per_page=${PAGE_SIZE}&page=${page}`,
    );
    const found = comments.find((comment) => comment.body?.includes(marker));
    if (found || comments.length < PAGE_SIZE) return found;
  }
}

async function callGitHub<T>(token: string, method: string, url: string, body?: object): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'sagemaker-mlops-actions',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) {
    const message = (() => {
      try {
        return (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        return text;
      }
    })();
    throw new Error(
      `GitHub API ${method} ${new URL(url).pathname} answered ${response.status}: ${message.slice(0, 300)}`,
    );
  }
  return JSON.parse(text) as T;
}

function checkedRepository(repository: string): string {
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository))
    throw new Error(`repository must look like owner/name; got "${repository}"`);
  return repository;
}
