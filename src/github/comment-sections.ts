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

// GitHub rejects comment bodies over 65,536 characters; leave room for the other sections and markers.
const MAX_SECTION_CHARS = 30_000;

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
  const block = `${sectionStart(section)}\n${truncate(options.content.trim())}\n${sectionEnd(section)}`;
  const marker = commentMarker(commentKey);
  const body = existing?.includes(marker) ? existing : `${marker}\n`;
  const start = body.indexOf(sectionStart(section));
  const end = body.indexOf(sectionEnd(section));
  if (start >= 0 && end > start)
    return `${body.slice(0, start)}${block}${body.slice(end + sectionEnd(section).length)}`;
  return `${body.trimEnd()}\n\n${block}\n`;
}

function truncate(content: string): string {
  if (content.length <= MAX_SECTION_CHARS) return content;
  return `${content.slice(0, MAX_SECTION_CHARS)}\n\n… (truncated; the job summary has the full report)`;
}
