import { DISPATCH_EVENT_TYPES, type DispatchEventType } from './rules';
import type { ApprovalEvent } from '../deploy/approval-decision';

/** What the approval rules put in a repository_dispatch's client_payload (see rules.ts). */
export interface ApprovalDispatch {
  readonly event: ApprovalEvent;
  readonly modelPackageArn: string;
  readonly groupName: string;
  readonly eventId?: string;
}

const MAX_EVENT_TYPE = 100;
const MAX_PAYLOAD_KEYS = 10;
const PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/[^/]+\/\d+$/;

/** A dispatch request GitHub would refuse (422), or one the deploy workflow cannot act on. */
export class DispatchError extends Error {
  override readonly name = 'DispatchError';
}

/**
 * Reads a `POST /repos/{owner}/{repo}/dispatches` body as GitHub checks it (event_type: 1-100
 * characters; client_payload: an object of at most 10 top-level properties), then as the deploy workflow
 * reads it: a model-approved or model-rejected event naming a versioned model package.
 */
export function parseApprovalDispatch(body: string): ApprovalDispatch {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new DispatchError(`the dispatch body is not JSON (${(error as Error).message}): ${body}`);
  }
  const { event_type: eventType, client_payload: payload } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof eventType !== 'string' || eventType.length < 1 || eventType.length > MAX_EVENT_TYPE)
    throw new DispatchError(
      `event_type must be a string of 1-${MAX_EVENT_TYPE} characters; got ${JSON.stringify(eventType)}`,
    );
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new DispatchError(`client_payload must be a JSON object; got ${JSON.stringify(payload)}`);
  if (Object.keys(payload).length > MAX_PAYLOAD_KEYS)
    throw new DispatchError(
      `client_payload has ${Object.keys(payload).length} top-level properties; GitHub allows ${MAX_PAYLOAD_KEYS}`,
    );
  const event = approvalEventOf(eventType);
  const fields = payload as Record<string, unknown>;
  const arn = fields.model_package_arn;
  if (typeof arn !== 'string' || !PACKAGE_ARN.test(arn))
    throw new DispatchError(
      `client_payload.model_package_arn must be a versioned model package ARN; got ${JSON.stringify(arn)}`,
    );
  const group = fields.model_package_group;
  if (typeof group !== 'string' || group === '')
    throw new DispatchError(
      `client_payload.model_package_group must name the group; got ${JSON.stringify(group)}`,
    );
  return {
    event,
    modelPackageArn: arn,
    groupName: group,
    ...(typeof fields.event_id === 'string' ? { eventId: fields.event_id } : {}),
  };
}

function approvalEventOf(eventType: string): ApprovalEvent {
  const entry = Object.entries(DISPATCH_EVENT_TYPES).find(
    ([, type]) => type === (eventType as DispatchEventType),
  );
  if (!entry)
    throw new DispatchError(
      `event_type ${JSON.stringify(eventType)} is not one the deploy workflow handles; expected ${Object.values(DISPATCH_EVENT_TYPES).join(' or ')}`,
    );
  return entry[0] as ApprovalEvent;
}
