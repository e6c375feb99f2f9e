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
  /** A readable diff of the previous and new definition (when the definition changed). */
  readonly definitionDiff?: string;
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
    input.definitionDiff !== undefined && upsert.changed && !upsert.created
      ? `### Definition changes\n\n${details('Definition diff', codeBlock('text', input.definitionDiff || '(no definition change)'), true)}`
      : undefined,
  );
}
