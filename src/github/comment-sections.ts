import { fitMarkdown } from '../report/markdown-limit';

/**
 * One sticky PR comment holds a section per reporter (e.g. the wait for an execution, each stack
 * deployment): each action replaces its own section and leaves the others alone. Hidden HTML markers
 * find the comment and the sections again.
 */

export function commentMarker(commentKey: string): string {
  return `<!-- mlops-sticky-comment:${commentKey} -->`;
}

const sectionStart = (section: string) => `<!-- section:${section} -->`;
const sectionEnd = (section: string) => `<!-- /section:${section} -->`;

/** GitHub rejects comment bodies over 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536;
/** Three sections of this size (upsert, wait, deploy) and their markers fit in one comment. */
const MAX_SECTION_CHARS = 20_000;
const CUT_NOTE = '… (cut to fit the PR comment; the job summary has the full report)';

/** The comment body with `section` set to `content` (added at the end when new). */
export function mergeSection(
  existing: string | undefined,
  options: { commentKey: string; section: string; content: string },
): string {
  const { commentKey, section } = options;
  if (/-->|\s/.test(section) || /-->/.test(commentKey)) {
    throw new Error(
      `comment section and key must not contain whitespace or "-->"; got "${section}" / "${commentKey}"`,
    );
  }
  const marker = commentMarker(commentKey);
  const body = existing?.includes(marker) ? existing : `${marker}\n`;
  const start = body.indexOf(sectionStart(section));
  const end = body.indexOf(sectionEnd(section));
  const [before, after] =
    start >= 0 && end > start
      ? [body.slice(0, start), body.slice(end + sectionEnd(section).length)]
      : [`${body.trimEnd()}\n\n`, '\n'];
  const frame = `${sectionStart(section)}\n\n${sectionEnd(section)}`;
  // Whatever the other sections left, this one never takes the comment over GitHub's limit.
  const room = MAX_COMMENT_CHARS - before.length - after.length - frame.length;
  const content = fitMarkdown(options.content.trim(), {
    limit: Math.max(0, Math.min(MAX_SECTION_CHARS, room)),
    unit: 'characters',
    note: CUT_NOTE,
  });
  return `${before}${sectionStart(section)}\n${content}\n${sectionEnd(section)}${after}`;
}
