import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MAX_SUMMARY_BYTES, writeSummary } from '../../../src/actions/action-runtime';
import { MAX_COMMENT_CHARS, mergeSection } from '../../../src/github/comment-sections';
import { codeBlock } from '../../../src/report/markdown';
import { fitMarkdown } from '../../../src/report/markdown-limit';

const lines = (count: number, width = 99) =>
  Array.from({ length: count }, (_, index) => `${String(index).padStart(6, '0')} ${'x'.repeat(width - 7)}`);

/** True when every fence opened in `markdown` is closed again. */
function fencesBalanced(markdown: string): boolean {
  let open: string | undefined;
  for (const line of markdown.split('\n')) {
    const fence = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) continue;
    if (open === undefined) open = fence;
    else if (line.trim() === open) open = undefined;
  }
  return open === undefined;
}

describe('fitMarkdown', () => {
  const note = '… (cut)';

  it('leaves Markdown that fits unchanged', () => {
    const text = lines(10).join('\n');
    expect(fitMarkdown(text, { limit: text.length, unit: 'characters', note })).toBe(text);
  });

  it('cuts at a line boundary, adds the note and stays within the limit', () => {
    const text = lines(100).join('\n');
    const fitted = fitMarkdown(text, { limit: 1_050, unit: 'characters', note });
    expect(fitted.length).toBeLessThanOrEqual(1_050);
    expect(fitted.endsWith(`\n\n${note}`)).toBe(true);
    const kept = fitted.slice(0, -note.length - 2).split('\n');
    expect(kept).toEqual(lines(100).slice(0, kept.length));
    expect(kept.length).toBe(10);
  });

  it('never cuts inside a code fence: the whole block goes when it does not fit', () => {
    const text = ['## Steps', 'intro', codeBlock('mermaid', lines(50).join('\n')), 'after'].join('\n');
    const fitted = fitMarkdown(text, { limit: 2_000, unit: 'characters', note });
    expect(fitted).toBe(`## Steps\nintro\n\n${note}`);
    expect(fencesBalanced(fitted)).toBe(true);
  });

  it('keeps a block that closes before the limit, with a longer fence holding backticks inside', () => {
    const block = codeBlock('text', 'a ``` b\n```\nc');
    expect(block.startsWith('````')).toBe(true);
    const text = [block, ...lines(50)].join('\n');
    const fitted = fitMarkdown(text, { limit: 400, unit: 'characters', note });
    expect(fitted.startsWith(block)).toBe(true);
    expect(fencesBalanced(fitted)).toBe(true);
  });

  it('measures bytes for job summaries (multi-byte characters count as what they weigh)', () => {
    const text = Array.from({ length: 100 }, () => 'é'.repeat(50)).join('\n');
    const fitted = fitMarkdown(text, { limit: 1_000, unit: 'bytes', note });
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(1_000);
    expect(fitted.length).toBeLessThan(600);
  });
});

describe('the sticky PR comment', () => {
  it('stays under 65,536 characters with three oversized sections, each cut outside its code fences', () => {
    let body: string | undefined;
    for (const section of ['upsert-sagemaker-pipeline', 'wait-for-execution', 'deploy-endpoint-pr']) {
      const content = ['### Report', codeBlock('mermaid', lines(400).join('\n')), ...lines(400)].join('\n');
      body = mergeSection(body, { commentKey: 'mlops', section, content });
    }
    expect(body?.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body?.match(/cut to fit the PR comment/g)).toHaveLength(3);
    expect(body?.match(/<!-- \/section:/g)).toHaveLength(3);
    expect(fencesBalanced(body ?? '')).toBe(true);
  });

  it('cuts a section to what the others leave, so the whole comment never exceeds the limit', () => {
    const big = (section: string) =>
      `<!-- section:${section} -->\n${'y'.repeat(30_000)}\n<!-- /section:${section} -->`;
    // A comment written by an older version, whose sections were larger.
    const existing = `<!-- mlops-sticky-comment:mlops -->\n\n${big('a')}\n\n${big('b')}\n`;
    const body = mergeSection(existing, {
      commentKey: 'mlops',
      section: 'c',
      content: lines(300).join('\n'),
    });
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).toContain('<!-- /section:c -->');
  });
});

describe('the job summary', () => {
  let dir = '';
  const saved = process.env.GITHUB_STEP_SUMMARY;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'summary-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = saved;
  });

  it('stays under 1 MiB, counting what earlier steps of the action wrote', async () => {
    const file = join(dir, 'summary.md');
    writeFileSync(file, 'z'.repeat(100_000));
    process.env.GITHUB_STEP_SUMMARY = file;
    await writeSummary(['# Report', ...lines(20_000)].join('\n'));
    const written = readFileSync(file, 'utf8');
    expect(Buffer.byteLength(written)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(written).toContain('GitHub shows no step summary over 1 MiB');
  });
});
