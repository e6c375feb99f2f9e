import { validationError } from '../../core/errors';
import type { LocalAwsEnvironment, OperationHandler, ServiceProvider } from '../../core/service';
import { EventBus } from './bus';
import { RuleStore, type RuleRecord } from './rules';

/** The default event bus of one local AWS: the events provider and the services that emit events share it. */
export function createEventBus(env: LocalAwsEnvironment): { bus: EventBus; rules: RuleStore } {
  const rules = new RuleStore(env.store, `arn:aws:events:${env.region}:${env.accountId}:rule/`);
  return {
    rules,
    bus: new EventBus({ store: env.store, rules, region: env.region, accountId: env.accountId }),
  };
}

/**
 * The local EventBridge (awsJson1_1, target prefix `AWSEvents`): rules with event patterns on the default
 * bus, their targets (SNS topics and API destinations, delivered to disk: see deliveries.ts) and PutEvents.
 */
export function createEventsProvider(env: LocalAwsEnvironment): ServiceProvider {
  const { bus, rules } = createEventBus(env);
  return { name: 'events', operations: eventsOperations(bus, rules) };
}

const MAX_ENTRIES = 10;

function eventsOperations(bus: EventBus, rules: RuleStore): Record<string, OperationHandler> {
  return {
    PutRule: (input) => ({ RuleArn: rules.put(input).Arn }),
    DescribeRule: (input) => {
      const { Targets: _targets, ...rule } = rules.describe(input);
      return { ...rule, CreatedBy: rule.Arn.split(':')[4] };
    },
    ListRules: (input) => {
      const page = paginate(rules.list(optionalString(input, 'NamePrefix')), input);
      return { Rules: page.items.map(({ Targets: _targets, ...rule }) => rule), ...page.next };
    },
    DeleteRule: (input) => {
      rules.delete(input);
      return {};
    },
    PutTargets: (input) => failures(rules.putTargets(input)),
    RemoveTargets: (input) => failures(rules.removeTargets(input)),
    ListTargetsByRule: (input) => {
      const rule = rules.describe({ Name: input.Rule, EventBusName: input.EventBusName });
      const page = paginate(rule.Targets, input);
      return { Targets: page.items, ...page.next };
    },
    PutEvents: (input) => {
      const entries = input.Entries;
      if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES)
        throw validationError(`Entries must be a list of 1-${MAX_ENTRIES} entries`);
      const results = (entries as Record<string, unknown>[]).map((entry) => putEntry(bus, entry));
      return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
    },
  };
}

/** One PutEvents entry: its EventId, or the error EventBridge reports for it (the others still go through). */
function putEntry(bus: EventBus, entry: Record<string, unknown>): Record<string, string> {
  const { Source: source, DetailType: detailType, Detail: detailText } = entry;
  if (typeof source !== 'string' || source === '')
    return entryError(
      'InvalidArgument',
      'Parameter Source is not valid. Reason: Source is a required argument.',
    );
  if (source.startsWith('aws.'))
    return entryError('NotAuthorizedForSourceException', `Not authorized for the source ${source}.`);
  if (typeof detailType !== 'string' || detailType === '')
    return entryError(
      'InvalidArgument',
      'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    );
  let detail: unknown;
  try {
    detail = JSON.parse(typeof detailText === 'string' ? detailText : '');
  } catch {
    return entryError('MalformedDetail', 'Detail is malformed.');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
    return entryError('MalformedDetail', 'Detail is malformed.');
  if (entry.EventBusName !== undefined && entry.EventBusName !== 'default')
    return entryError('InvalidArgument', `Event bus ${String(entry.EventBusName)} does not exist.`);
  const { event } = bus.publish({
    source,
    detailType,
    detail: detail as Record<string, unknown>,
    ...(Array.isArray(entry.Resources) ? { resources: entry.Resources as string[] } : {}),
    ...(typeof entry.Time === 'number' ? { time: new Date(entry.Time * 1000) } : {}),
  });
  return { EventId: event.id };
}

function entryError(code: string, message: string): Record<string, string> {
  return { ErrorCode: code, ErrorMessage: message };
}

function failures(failed: readonly unknown[]): Record<string, unknown> {
  return { FailedEntryCount: failed.length, FailedEntries: failed };
}

function optionalString(input: Record<string, unknown>, member: string): string | undefined {
  const value = input[member];
  return typeof value === 'string' ? value : undefined;
}

/** Limit (1-100) and an opaque NextToken, as EventBridge's List* operations page. */
function paginate<T>(
  items: readonly T[],
  input: Record<string, unknown>,
): { items: T[]; next: { NextToken?: string } } {
  const limit = input.Limit === undefined ? 100 : Number(input.Limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw validationError(`Limit must be an integer from 1 to 100; got ${String(input.Limit)}`);
  const start =
    typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw validationError(`NextToken ${String(input.NextToken)} is invalid`);
  const end = start + limit;
  return {
    items: items.slice(start, end),
    next: end < items.length ? { NextToken: Buffer.from(String(end)).toString('base64url') } : {},
  };
}

export type { RuleRecord };
