import { randomUUID } from 'node:crypto';

import type { StateStore } from '../../state/store';
import { deliver, type Delivery } from './deliveries';
import { transformInput } from './input-transformer';
import { EventPatternMatcher } from './pattern';
import type { RuleStore } from './rules';

/** An event as rules see it: the EventBridge envelope around the source's detail. */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

export interface EventEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  readonly resources?: readonly string[];
  readonly time?: Date;
}

/**
 * The default event bus: wraps an entry in the envelope, matches it against every enabled rule and
 * delivers the transformed input to each target of each matching rule. Delivery is synchronous (the
 * records are on disk before the call that caused the event returns), so a test or the CLI sees the
 * outcome of an approval as soon as UpdateModelPackage answers.
 */
export class EventBus {
  private readonly matchers = new Map<string, EventPatternMatcher>();

  constructor(
    private readonly parts: {
      readonly store: StateStore;
      readonly rules: RuleStore;
      readonly region: string;
      readonly accountId: string;
    },
  ) {}

  publish(entry: EventEntry): { event: BusEvent; deliveries: Delivery[] } {
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.detailType,
      source: entry.source,
      account: this.parts.accountId,
      time: (entry.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.parts.region,
      resources: entry.resources ?? [],
      detail: entry.detail,
    };
    const deliveries: Delivery[] = [];
    for (const rule of this.parts.rules.list()) {
      if (rule.State !== 'ENABLED' || !rule.EventPattern) continue;
      if (!this.matcher(rule.EventPattern).matches(event)) continue;
      for (const target of rule.Targets) {
        const body = transformInput(target, event, {
          ruleName: rule.Name,
          ruleArn: rule.Arn,
          ingestionTime: event.time,
        });
        deliveries.push(
          deliver(this.parts.store, {
            targetArn: target.Arn,
            body,
            headers: target.HttpParameters?.HeaderParameters ?? {},
            eventId: event.id,
            ruleArn: rule.Arn,
          }),
        );
      }
    }
    return { event, deliveries };
  }

  private matcher(pattern: string): EventPatternMatcher {
    let matcher = this.matchers.get(pattern);
    if (!matcher) {
      matcher = EventPatternMatcher.parse(pattern);
      this.matchers.set(pattern, matcher);
    }
    return matcher;
  }
}
