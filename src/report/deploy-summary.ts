import type { ApprovalRecord } from '../deploy/approval-decision';
import type { ResourceChangeRow } from '../deploy/change-set';
import type { DeployResult } from '../deploy/deploy-stack';
import type { EndpointState, SmokeTestResult } from '../deploy/endpoint';
import { describeEvent } from '../deploy/stack-events';
import { codeBlock, details, inlineCode, sections, table } from './markdown';

export interface DeploySummaryInput {
  readonly deploy: DeployResult;
  readonly endpoint?: EndpointState;
  readonly smokeTest?: SmokeTestResult;
  /** Set when the deployment failed: the reason shown at the top. */
  readonly error?: string;
  /** The registry decision this deploy ships (from the approval tags), if any. */
  readonly approval?: ApprovalRecord;
}

/** The job summary of a stack deployment: outcome, the change set, outputs, endpoint and smoke test. */
export function renderDeploySummary(input: DeploySummaryInput): string {
  const { deploy } = input;
  const icon = input.error ? '✖' : '✔';
  const verdict = input.error
    ? `failed (${deploy.status})`
    : deploy.changed
      ? `deployed (${deploy.status})`
      : 'unchanged (no changes)';
  return sections(
    `## ${icon} Stack ${inlineCode(deploy.stackName)} ${verdict}`,
    input.error ? codeBlock('text', input.error) : undefined,
    deploy.recreated
      ? '> [!WARNING]\n> The stack was in ROLLBACK_COMPLETE from a failed first create; it was deleted and created again.'
      : undefined,
    approval(input.approval),
    changes(deploy.changes, deploy.changeSetName),
    outputs(deploy.outputs),
    endpoint(input),
    deploy.events.length > 0
      ? details(
          `Stack events (${deploy.events.length})`,
          codeBlock('text', deploy.events.map(describeEvent).join('\n')),
        )
      : undefined,
  );
}

function approval(record: ApprovalRecord | undefined): string | undefined {
  if (!record) return undefined;
  const lines = [
    record.modelPackageArn ? `- **Model package:** ${inlineCode(record.modelPackageArn)}` : undefined,
    `- **Approved by:** ${record.approvedBy}`,
    `- **Approval description:** ${record.approvalDescription || '(none)'}`,
  ];
  return `### Model approval\n\n${lines.filter(Boolean).join('\n')}`;
}

function changes(rows: readonly ResourceChangeRow[], changeSetName: string): string | undefined {
  if (rows.length === 0) return undefined;
  const body = table(
    ['Action', 'Logical id', 'Type', 'Replacement'],
    rows.map((row) => [row.action, row.logicalId, row.type, row.replacement]),
  );
  return `### Changes (change set ${inlineCode(changeSetName)})\n\n${body}`;
}

function outputs(values: Readonly<Record<string, string>>): string | undefined {
  const entries = Object.entries(values);
  if (entries.length === 0) return undefined;
  return `### Outputs\n\n${table(['Output', 'Value'], entries)}`;
}

function endpoint(input: DeploySummaryInput): string | undefined {
  if (!input.endpoint && !input.smokeTest) return undefined;
  const lines = [
    input.endpoint
      ? `- **Endpoint:** ${inlineCode(input.endpoint.endpointName)} ${input.endpoint.status}`
      : undefined,
    input.smokeTest
      ? `- **Smoke test:** ${input.smokeTest.rows} rows answered in ${Math.round(input.smokeTest.durationMs)} ms`
      : undefined,
    input.smokeTest?.rmse !== undefined
      ? `- **Smoke test RMSE:** ${input.smokeTest.rmse.toFixed(4)}`
      : undefined,
  ];
  return `### Endpoint\n\n${lines.filter(Boolean).join('\n')}`;
}
