/**
 * Cuts Markdown to a size limit the way a reader can still use it: at a line boundary, never inside a
 * fenced code block (a cut fence would swallow everything after it), with a note saying what was left out.
 */

export interface MarkdownLimit {
  /** The largest size allowed, note included. */
  readonly limit: number;
  /** How size is measured: characters (PR comments) or UTF-8 bytes (job summary files). */
  readonly unit: 'characters' | 'bytes';
  /** Says where the rest is; appended after a blank line when something was cut. */
  readonly note: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

function sizeOf(text: string, unit: MarkdownLimit['unit']): number {
  return unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
}

/**
 * `markdown` unchanged when it fits, else its longest prefix of whole lines outside code fences plus the
 * note ('' when not even the note fits).
 */
export function fitMarkdown(markdown: string, options: MarkdownLimit): string {
  const { limit, unit } = options;
  if (sizeOf(markdown, unit) <= limit) return markdown;
  const note = `\n\n${options.note}`;
  const budget = limit - sizeOf(note, unit);
  if (budget < 0) return '';
  const lines = markdown.split('\n');
  let open: { char: string; length: number } | undefined;
  let size = 0;
  let keep = 0;
  for (const [index, line] of lines.entries()) {
    size += sizeOf(line, unit) + (index > 0 ? 1 : 0);
    if (size > budget) break;
    const fence = FENCE.exec(line)?.[1];
    if (open === undefined && fence !== undefined) open = { char: fence[0] ?? '`', length: fence.length };
    else if (
      open !== undefined &&
      fence !== undefined &&
      fence[0] === open.char &&
      fence.length >= open.length &&
      line.trim() === fence
    )
      open = undefined;
    if (open === undefined) keep = index + 1;
  }
  return `${lines.slice(0, keep).join('\n').trimEnd()}${note}`;
}
