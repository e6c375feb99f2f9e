import type { ApprovalDecision, ApprovalEvent } from '../deploy/approval-decision';
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

/** The job summary of a registry decision: what deploys (or why nothing does), who approved it and why. */
export function renderApprovalDecisionSummary(options: {
  readonly event: ApprovalEvent;
  readonly modelPackageArn: string;
  readonly decision: ApprovalDecision;
}): string {
  const { decision } = options;
  const heading =
    decision.kind === 'no-op'
      ? `## ↺ No deploy: ${options.event === 'approved' ? 'approval' : 'rejection'} of ${inlineCode(options.modelPackageArn)}`
      : `## ✔ Deploying ${inlineCode(decision.package.arn)}`;
  const facts =
    decision.kind === 'no-op'
      ? [`- **Why:** ${decision.reason}`]
      : [
          `- **Why:** ${decision.reason}`,
          `- **Approved by:** ${decision.package.approvedBy}`,
          `- **Approval description:** ${decision.package.approvalDescription || '(none)'}`,
        ];
  return sections(heading, facts.join('\n'));
}
