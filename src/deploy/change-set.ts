import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type Capability,
  type CloudFormationClient,
  type DescribeChangeSetCommandOutput,
  type Parameter,
} from '@aws-sdk/client-cloudformation';

import type { Clock } from '../aws/clock';
import type { Reporter } from '../report/reporter';
import { pollUntil } from './poll-until';

export interface ChangeSetRequest {
  readonly stackName: string;
  readonly changeSetName: string;
  readonly type: 'CREATE' | 'UPDATE';
  readonly template: { readonly body: string } | { readonly url: string };
  readonly parameters: readonly Parameter[];
  readonly capabilities: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly roleArn?: string;
  readonly description?: string;
}

/** One row of the change set as the summary shows it. */
export interface ResourceChangeRow {
  readonly action: string;
  readonly logicalId: string;
  readonly type: string;
  readonly replacement?: string;
  readonly physicalId?: string;
}

export type ChangeSetOutcome =
  | { readonly kind: 'ready'; readonly id: string; readonly changes: readonly ResourceChangeRow[] }
  | { readonly kind: 'empty'; readonly id: string; readonly reason: string };

export interface WaitContext {
  readonly clock: Clock;
  readonly deadline: number;
  readonly reporter: Reporter;
  readonly pollMs: number;
}

// CloudFormation says "no changes" in either of these ways depending on the path taken.
const EMPTY_CHANGE_SET = [/didn't contain changes/i, /No updates are to be performed/i];

export function isEmptyChangeSetReason(reason: string | undefined): boolean {
  return reason !== undefined && EMPTY_CHANGE_SET.some((pattern) => pattern.test(reason));
}

/** Creates the change set and waits until it is ready, empty ("no changes") or failed (thrown, with the reason). */
export async function createChangeSet(
  cloudformation: CloudFormationClient,
  request: ChangeSetRequest,
  context: WaitContext,
): Promise<ChangeSetOutcome> {
  const created = await cloudformation.send(
    new CreateChangeSetCommand({
      StackName: request.stackName,
      ChangeSetName: request.changeSetName,
      ChangeSetType: request.type,
      ...('body' in request.template
        ? { TemplateBody: request.template.body }
        : { TemplateURL: request.template.url }),
      Parameters: [...request.parameters],
      Capabilities: request.capabilities as Capability[],
      Tags: Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value })),
      ...(request.roleArn ? { RoleARN: request.roleArn } : {}),
      ...(request.description ? { Description: request.description } : {}),
    }),
  );
  const id = created.Id ?? request.changeSetName;
  const described = await pollUntil({
    what: `change set ${request.changeSetName}`,
    read: () =>
      cloudformation.send(new DescribeChangeSetCommand({ ChangeSetName: id, StackName: request.stackName })),
    done: (changeSet) => !['CREATE_PENDING', 'CREATE_IN_PROGRESS'].includes(changeSet.Status ?? ''),
    ...context,
  });
  if (described.Status === 'CREATE_COMPLETE')
    return { kind: 'ready', id, changes: await allChanges(cloudformation, described, id) };
  if (isEmptyChangeSetReason(described.StatusReason))
    return { kind: 'empty', id, reason: described.StatusReason ?? '' };
  throw new Error(
    `change set ${request.changeSetName} for stack ${request.stackName} failed: ${described.StatusReason ?? described.Status}`,
  );
}

async function allChanges(
  cloudformation: CloudFormationClient,
  first: DescribeChangeSetCommandOutput,
  id: string,
): Promise<ResourceChangeRow[]> {
  const rows = toRows(first);
  let nextToken = first.NextToken;
  while (nextToken) {
    const page = await cloudformation.send(
      new DescribeChangeSetCommand({ ChangeSetName: id, NextToken: nextToken }),
    );
    rows.push(...toRows(page));
    nextToken = page.NextToken;
  }
  return rows;
}

function toRows(page: DescribeChangeSetCommandOutput): ResourceChangeRow[] {
  return (page.Changes ?? []).flatMap((change) => {
    const resource = change.ResourceChange;
    if (!resource) return [];
    return [
      {
        action: resource.Action ?? 'Unknown',
        logicalId: resource.LogicalResourceId ?? '?',
        type: resource.ResourceType ?? '?',
        ...(resource.Replacement ? { replacement: resource.Replacement } : {}),
        ...(resource.PhysicalResourceId ? { physicalId: resource.PhysicalResourceId } : {}),
      },
    ];
  });
}

export async function deleteChangeSet(
  cloudformation: CloudFormationClient,
  stackName: string,
  id: string,
): Promise<void> {
  await cloudformation.send(new DeleteChangeSetCommand({ ChangeSetName: id, StackName: stackName }));
}
