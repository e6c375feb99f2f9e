import { commentMarker, mergeSection } from './comment-sections';

export interface StickyCommentOptions {
  readonly token: string;
  /** `owner/name`. */
  readonly repository: string;
  readonly issueNumber: number;
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

/**
 * Creates the PR's sticky comment, or updates it in place when a comment with the hidden marker exists,
 * so re-runs never add a second one. @actions/github reads GITHUB_API_URL, so GHES and local stand-ins work.
 */
export async function upsertStickyComment(options: StickyCommentOptions): Promise<StickyCommentResult> {
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(options.token);
  const [owner, repo] = splitRepository(options.repository);
  const commentKey = options.commentKey ?? 'mlops';
  const marker = commentMarker(commentKey);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: options.issueNumber,
    per_page: 100,
  });
  const existing = comments.find((comment) => comment.body?.includes(marker));
  const body = mergeSection(existing?.body, {
    commentKey,
    section: options.section,
    content: options.content,
  });
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { action: 'updated', commentId: data.id, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({
    owner,
    repo,
    issue_number: options.issueNumber,
    body,
  });
  return { action: 'created', commentId: data.id, url: data.html_url };
}

function splitRepository(repository: string): [string, string] {
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0)
    throw new Error(`repository must look like owner/name; got "${repository}"`);
  return [owner, repo];
}
