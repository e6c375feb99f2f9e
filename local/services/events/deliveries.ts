import type { StateStore } from '../../state/store';

/**
 * Where the local EventBridge delivers, in place of the network: an SNS topic's messages (the e-mail the
 * subscribers would get), an API destination's HTTP requests (e.g. GitHub's repository_dispatch) and a
 * Lambda function's invocations (the event it would get) are kept on disk, one record per delivery, in
 * arrival order. Whoever stands in for the receiver reads them (`mlops approve` runs the approvers'
 * notifier, prints the notifications and runs the dispatched deploys).
 */
export const DELIVERY_COLLECTIONS = {
  sns: (topicName: string) => `events/deliveries/sns/${topicName}`,
  apiDestination: (destinationName: string) => `events/deliveries/api-destinations/${destinationName}`,
  lambda: (functionName: string) => `events/deliveries/lambda/${functionName}`,
} as const;

interface DeliveryOrder {
  /** Sorts deliveries in arrival order (a monotonic clock reading). */
  readonly Sequence: string;
  readonly EventId: string;
  readonly RuleArn: string;
  readonly Time: string;
}

export interface SnsDelivery extends DeliveryOrder {
  readonly kind: 'sns';
  readonly TopicArn: string;
  /** Set when the message is published with one (SNS Publish's Subject, the e-mail's subject line). */
  readonly Subject?: string;
  readonly Message: string;
}

export interface ApiDestinationDelivery extends DeliveryOrder {
  readonly kind: 'api-destination';
  readonly ApiDestinationArn: string;
  /** The request body EventBridge would send (the target input, JSON text). */
  readonly Body: string;
  readonly Headers: Readonly<Record<string, string>>;
}

export interface LambdaDelivery extends DeliveryOrder {
  readonly kind: 'lambda';
  readonly FunctionArn: string;
  /** The invocation payload (the target input, JSON text). */
  readonly Payload: string;
}

export type Delivery = SnsDelivery | ApiDestinationDelivery | LambdaDelivery;

export interface DeliveryRequest {
  readonly targetArn: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly eventId: string;
  readonly ruleArn: string;
  /** SNS only: the e-mail subject (an EventBridge rule's deliveries have none). */
  readonly subject?: string;
}

/** Keeps one delivery on disk. */
export function deliver(store: StateStore, request: DeliveryRequest): Delivery {
  const order: DeliveryOrder = {
    Sequence: process.hrtime.bigint().toString().padStart(20, '0'),
    EventId: request.eventId,
    RuleArn: request.ruleArn,
    Time: new Date().toISOString(),
  };
  const id = `${order.Sequence}-${request.eventId}`;
  const sns = /^arn:[^:]+:sns:[^:]+:\d{12}:([^:/]+)$/.exec(request.targetArn);
  if (sns) {
    const record: SnsDelivery = {
      kind: 'sns',
      TopicArn: request.targetArn,
      ...(request.subject !== undefined ? { Subject: request.subject } : {}),
      Message: request.body,
      ...order,
    };
    store.put(DELIVERY_COLLECTIONS.sns(sns[1]!), id, record);
    return record;
  }
  const lambda = /^arn:[^:]+:lambda:[^:]+:\d{12}:function:([\w-]+)(?::[\w$-]+)?$/.exec(request.targetArn);
  if (lambda) {
    const record: LambdaDelivery = {
      kind: 'lambda',
      FunctionArn: request.targetArn,
      Payload: request.body,
      ...order,
    };
    store.put(DELIVERY_COLLECTIONS.lambda(lambda[1]!), id, record);
    return record;
  }
  const destination = /:api-destination\/([^/]+)/.exec(request.targetArn)?.[1] ?? 'unnamed';
  const record: ApiDestinationDelivery = {
    kind: 'api-destination',
    ApiDestinationArn: request.targetArn,
    Body: request.body,
    Headers: request.headers,
    ...order,
  };
  store.put(DELIVERY_COLLECTIONS.apiDestination(destination), id, record);
  return record;
}

/** The deliveries kept in one collection, oldest first. */
export function listDeliveries<T extends Delivery>(store: StateStore, collection: string): T[] {
  return store.list<T>(collection).sort((a, b) => (a.Sequence < b.Sequence ? -1 : 1));
}
