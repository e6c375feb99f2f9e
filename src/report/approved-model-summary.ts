import type { ApprovedModelPackage } from '../deploy/approved-model';
import { inlineCode, sections } from './markdown';

/** The job summary of the deploy gate: which package passes and what it serves. */
export function renderApprovedModelSummary(approved: ApprovedModelPackage): string {
  const facts = [
    `- **Package:** ${inlineCode(approved.arn)}${approved.version !== undefined ? ` (version ${approved.version})` : ''}`,
    approved.creationTime ? `- **Registered:** ${approved.creationTime.toISOString()}` : undefined,
    approved.imageUri ? `- **Image:** ${inlineCode(approved.imageUri)}` : undefined,
    approved.modelDataUrl ? `- **Model data:** ${inlineCode(approved.modelDataUrl)}` : undefined,
  ];
  return sections(
    `## ✔ Approved model for ${inlineCode(approved.groupName)}`,
    facts.filter(Boolean).join('\n'),
  );
}
