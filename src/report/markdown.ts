/** Small Markdown builders for job summaries and PR comments (GitHub-flavoured). */

/** Escapes what would break a table cell or start Markdown/HTML formatting. */
export function cell(text: string | number | undefined): string {
  if (text === undefined || text === '') return '—';
  return String(text)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'))
    .replace(/\r?\n/g, '<br>');
}

export function table(
  header: readonly string[],
  rows: readonly (readonly (string | number | undefined)[])[],
): string {
  const head = `| ${header.map(cell).join(' | ')} |`;
  const rule = `| ${header.map(() => '---').join(' | ')} |`;
  return [head, rule, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}

/** A fenced block whose fence is longer than any backtick run inside, so content cannot close it early. */
export function codeBlock(language: string, content: string): string {
  const longestRun = Math.max(2, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${content.replace(/\n$/, '')}\n${fence}`;
}

export function details(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${cell(summary)}</summary>\n\n${body}\n\n</details>`;
}

export function inlineCode(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longestRun + 1);
  return `${ticks}${longestRun > 0 ? ` ${text} ` : text}${ticks}`;
}

/** Joins non-empty sections with blank lines. */
export function sections(...parts: readonly (string | undefined | false)[]): string {
  return `${parts.filter((part): part is string => Boolean(part)).join('\n\n')}\n`;
}
