import type {
  PutEventsRequest,
  PutEventsRequestEntry,
  PutEventsResponse,
  PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';

import { operation } from '../../../core/operations';
import type { OperationHandler } from '../../../core/service';
import type { EventBus } from '../bus';

/** PutEvents: custom events onto the default bus (AWS services' own sources are refused, as on AWS). */
export function eventOperations(bus: EventBus): Record<string, OperationHandler> {
  return {
    PutEvents: operation<PutEventsRequest, PutEventsResponse>((input) => {
      const results = (input.Entries ?? []).map((entry) => putEntry(bus, entry));
      return { FailedEntryCount: results.filter((result) => result.ErrorCode).length, Entries: results };
    }),
  };
}

/** One entry: its EventId, or the error EventBridge reports for it (the others still go through). */
function putEntry(bus: EventBus, entry: PutEventsRequestEntry): PutEventsResultEntry {
  const { Source: source, DetailType: detailType } = entry;
  if (!source)
    return entryError(
      'InvalidArgument',
      'Parameter Source is not valid. Reason: Source is a required argument.',
    );
  if (source.startsWith('aws.'))
    return entryError('NotAuthorizedForSourceException', `Not authorized for the source ${source}.`);
  if (!detailType)
    return entryError(
      'InvalidArgument',
      'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    );
  const detail = parseDetail(entry.Detail);
  if (!detail) return entryError('MalformedDetail', 'Detail is malformed.');
  if (entry.EventBusName !== undefined && entry.EventBusName !== 'default')
    return entryError('InvalidArgument', `Event bus ${entry.EventBusName} does not exist.`);
  const { event } = bus.publish({
    source,
    detailType,
    detail,
    ...(entry.Resources ? { resources: entry.Resources } : {}),
    ...(entry.Time ? { time: entry.Time } : {}),
  });
  return { EventId: event.id };
}

function parseDetail(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const detail: unknown = JSON.parse(text ?? '');
    return typeof detail === 'object' && detail !== null && !Array.isArray(detail)
      ? (detail as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function entryError(code: string, message: string): PutEventsResultEntry {
  return { ErrorCode: code, ErrorMessage: message };
}
