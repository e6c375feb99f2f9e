import { formatDiff, type DefinitionDiff } from '../../pipeline/diff';
import { definitionGraph } from '../../pipeline/graph';
import type { AssetUploadResult } from '../pipeline/assets';
import type { UpsertResult } from '../pipeline/upsert';
import { codeBlock, details, inlineCode, sections } from './markdown';
import { renderMermaid } from './mermaid';

export interface UpsertSummaryInput {
  readonly pipelineName: string;
  readonly definition: unknown;
  readonly upsert: UpsertResult;
  readonly executionArn?: string;
  readonly assets?: AssetUploadResult;
  readonly comparison?: DefinitionComparison;
}

/** The new definition against another: the deployed one, or a given one such as the base branch's. */
export interface DefinitionComparison {
  /** Markdown naming what is compared with, e.g. "the base branch `main`". */
  readonly against: string;
  readonly diff: DefinitionDiff;
}

/** The job summary of an upsert: what changed, the DAG, the definition diff, the execution started. */
export function renderUpsertSummary(input: UpsertSummaryInput): string {
  const { upsert } = input;
  const verdict = upsert.created
    ? 'created'
    : upsert.changed
      ? `updated (${upsert.differences.join(', ')} changed)`
      : 'unchanged';
  const facts = [
    `- **Pipeline:** ${inlineCode(upsert.pipelineArn)} — ${verdict}`,
    input.executionArn
      ? `- **Execution:** ${inlineCode(input.executionArn)}`
      : '- **Execution:** not started',
    input.assets
      ? `- **Assets:** ${input.assets.uploaded.length} uploaded, ${input.assets.present.length} already in S3`
      : undefined,
  ].filter(Boolean);
  return sections(
    `## SageMaker pipeline ${inlineCode(input.pipelineName)} ${verdict}`,
    facts.join('\n'),
    `### Pipeline\n\n${codeBlock('mermaid', renderMermaid(definitionGraph(input.definition)))}`,
    input.comparison && renderDefinitionChanges(input.comparison),
  );
}

/** The PR comment's section: the definition changes, or why there are none to show. */
export function renderDefinitionComment(
  input: Pick<UpsertSummaryInput, 'pipelineName' | 'upsert' | 'comparison'>,
): string {
  const heading = `## Pipeline ${inlineCode(input.pipelineName)}`;
  if (input.comparison) return `${heading}\n\n${renderDefinitionChanges(input.comparison)}`;
  const why = input.upsert.created
    ? 'Created; no base definition was given to compare with.'
    : 'The deployed definition is unchanged; no base definition was given to compare with.';
  return `${heading}\n\n${why}`;
}

/** What the definition changes against the other one: a count and the readable diff. */
export function renderDefinitionChanges(comparison: DefinitionComparison): string {
  const { diff } = comparison;
  const heading = `### Definition changes against ${comparison.against}`;
  if (diff.identical) return `${heading}\n\nNo differences.`;
  const counts = [
    count(diff.parameters.length, 'parameter'),
    count(diff.steps.length, 'step'),
    count(diff.other.length, 'other setting'),
  ].filter(Boolean);
  return `${heading}\n\n${counts.join(', ')} changed.\n\n${details('Definition diff', codeBlock('text', formatDiff(diff)), true)}`;
}

function count(n: number, noun: string): string | undefined {
  return n === 0 ? undefined : `${n} ${noun}${n === 1 ? '' : 's'}`;
}
