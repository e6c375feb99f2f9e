import type { LocalAwsEnvironment, ServiceProvider } from '../../core/service';
import { EventBus } from './bus';
import { eventOperations } from './operations/events';
import { ruleOperations } from './operations/rules';
import { targetOperations } from './operations/targets';
import { RuleStore } from './rules';

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
 * Operations live in typed maps under operations/.
 */
export function createEventsProvider(env: LocalAwsEnvironment): ServiceProvider {
  const { bus, rules } = createEventBus(env);
  return {
    name: 'events',
    model: 'events',
    operations: { ...ruleOperations(rules), ...targetOperations(rules), ...eventOperations(bus) },
  };
}
