import {
  DescribeStackEventsCommand,
  type CloudFormationClient,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';

/** A stack event as the log and the summary show it. */
export interface StackEventView {
  readonly id: string;
  readonly time: Date;
  readonly logicalId: string;
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
}

// Resources CloudFormation gave up on because another one failed: not the cause, so not "the" reason.
const CANCELLED = /cancell?ed/i;

/**
 * The new events of one stack operation, oldest first, each once. DescribeStackEvents lists newest first,
 * so a read pages back only until it meets an event already seen; `skipHistory` marks the events from
 * before the operation as seen (event ids, not timestamps: the runner's clock may differ from AWS's).
 */
export class StackEventStream {
  private readonly seen = new Set<string>();
  private readonly all: StackEventView[] = [];

  constructor(
    private readonly cloudformation: CloudFormationClient,
    private readonly stackName: string,
  ) {}

  /** Marks the latest existing events as seen, so only the coming operation's events are reported. */
  async skipHistory(): Promise<void> {
    const page = await this.cloudformation.send(
      new DescribeStackEventsCommand({ StackName: this.stackName }),
    );
    for (const event of page.StackEvents ?? []) if (event.EventId) this.seen.add(event.EventId);
  }

  async poll(): Promise<StackEventView[]> {
    const fresh: StackEventView[] = [];
    let nextToken: string | undefined;
    pages: do {
      const page = await this.cloudformation.send(
        new DescribeStackEventsCommand({
          StackName: this.stackName,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      for (const event of page.StackEvents ?? []) {
        const view = toView(event);
        if (!view || this.seen.has(view.id)) break pages;
        fresh.push(view);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    fresh.reverse();
    for (const event of fresh) this.seen.add(event.id);
    this.all.push(...fresh);
    return fresh;
  }

  events(): readonly StackEventView[] {
    return this.all;
  }

  /** The first resource failure of the operation: the root cause, not the cancellations that follow it. */
  firstFailure(): StackEventView | undefined {
    const failures = this.all.filter((event) => event.status.endsWith('_FAILED') && event.reason);
    return failures.find((event) => !CANCELLED.test(event.reason ?? '')) ?? failures[0];
  }
}

function toView(event: StackEvent): StackEventView | undefined {
  if (!event.EventId || !event.Timestamp) return undefined;
  return {
    id: event.EventId,
    time: event.Timestamp,
    logicalId: event.LogicalResourceId ?? '?',
    type: event.ResourceType ?? '?',
    status: event.ResourceStatus ?? '?',
    ...(event.ResourceStatusReason ? { reason: event.ResourceStatusReason } : {}),
  };
}

export function describeEvent(event: StackEventView): string {
  const reason = event.reason ? ` — ${event.reason}` : '';
  return `${event.time.toISOString().slice(11, 19)} ${event.status} ${event.logicalId} (${event.type})${reason}`;
}
