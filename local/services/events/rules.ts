import type {
  DeleteRuleRequest,
  PutRuleRequest,
  PutTargetsRequest,
  RemoveTargetsRequest,
} from '@aws-sdk/client-eventbridge';

import { AwsError, validationError } from '../../core/errors';
import { optional } from '../../core/optional';
import type { StateStore } from '../../state/store';
import { inputProblem, type TargetInput } from './input-transformer';
import { EventPatternMatcher } from './pattern';

export interface TargetRecord extends TargetInput {
  readonly Id: string;
  readonly Arn: string;
  readonly RoleArn?: string;
  readonly HttpParameters?: {
    readonly HeaderParameters?: Record<string, string>;
    readonly QueryStringParameters?: Record<string, string>;
    readonly PathParameterValues?: string[];
  };
}

export interface RuleRecord {
  readonly Name: string;
  readonly Arn: string;
  readonly EventBusName: string;
  readonly State: 'ENABLED' | 'DISABLED';
  readonly EventPattern?: string;
  readonly ScheduleExpression?: string;
  readonly Description?: string;
  readonly RoleArn?: string;
  readonly Targets: readonly TargetRecord[];
}

export interface FailedTarget {
  readonly TargetId: string;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

const RULES = 'events/rules';
export const DEFAULT_BUS = 'default';
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;
const MAX_TARGETS = 5;
const STATES = ['ENABLED', 'DISABLED'];
/** The target types the local EventBridge delivers to (see deliveries.ts). */
const DELIVERABLE_ARN =
  /^arn:aws[a-z-]*:(sns:[^:]+:\d{12}:[^:/]+|events:[^:]+:\d{12}:api-destination\/.+|lambda:[^:]+:\d{12}:function:[\w-]{1,64}(:[\w$-]+)?)$/;

/** The rules of the default event bus and their targets, one record per rule. */
export class RuleStore {
  constructor(
    private readonly store: StateStore,
    private readonly arnPrefix: string,
  ) {}

  put(input: PutRuleRequest): RuleRecord {
    const name = ruleName(input.Name);
    checkBus(input.EventBusName);
    const pattern = input.EventPattern;
    if (pattern === undefined && input.ScheduleExpression === undefined)
      throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    if (pattern !== undefined) {
      if (typeof pattern !== 'string') throw validationError('EventPattern must be a JSON string');
      EventPatternMatcher.parse(pattern);
    }
    const state = input.State ?? 'ENABLED';
    if (typeof state !== 'string' || !STATES.includes(state))
      throw validationError(`State ${JSON.stringify(state)} is not valid; expected ENABLED or DISABLED`);
    const existing = this.find(name);
    const record: RuleRecord = {
      Name: name,
      Arn: `${this.arnPrefix}${name}`,
      EventBusName: DEFAULT_BUS,
      State: state as RuleRecord['State'],
      ...optional('EventPattern', pattern as string | undefined),
      ...optional('ScheduleExpression', input.ScheduleExpression as string | undefined),
      ...optional('Description', input.Description as string | undefined),
      ...optional('RoleArn', input.RoleArn as string | undefined),
      Targets: existing?.Targets ?? [],
    };
    this.store.put(RULES, name, record);
    return record;
  }

  find(name: string): RuleRecord | undefined {
    return this.store.get<RuleRecord>(RULES, name);
  }

  describe(input: { readonly Name?: unknown; readonly EventBusName?: unknown }): RuleRecord {
    checkBus(input.EventBusName);
    const name = ruleName(input.Name);
    const record = this.find(name);
    if (!record)
      throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus default.`);
    return record;
  }

  /** Every rule, by name, optionally those whose name starts with `prefix`. */
  list(prefix = ''): RuleRecord[] {
    return this.store
      .list<RuleRecord>(RULES)
      .filter((rule) => rule.Name.startsWith(prefix))
      .sort((a, b) => (a.Name < b.Name ? -1 : 1));
  }

  delete(input: DeleteRuleRequest): void {
    checkBus(input.EventBusName);
    const name = ruleName(input.Name);
    const record = this.find(name);
    if (!record) return; // DeleteRule of a missing rule succeeds on AWS.
    if (record.Targets.length > 0) throw validationError("Rule can't be deleted since it has targets.");
    this.store.delete(RULES, name);
  }

  putTargets(input: PutTargetsRequest): FailedTarget[] {
    const rule = this.describe({ Name: input.Rule, EventBusName: input.EventBusName });
    const targets = input.Targets;
    if (!Array.isArray(targets) || targets.length < 1 || targets.length > 10)
      throw validationError('Targets must be a list of 1-10 targets');
    const failed: FailedTarget[] = [];
    const byId = new Map(rule.Targets.map((target) => [target.Id, target]));
    for (const target of targets as unknown as TargetRecord[]) {
      const problem = targetProblem(target);
      if (problem) {
        failed.push({ TargetId: String(target.Id), ErrorCode: 'ValidationException', ErrorMessage: problem });
        continue;
      }
      if (!byId.has(target.Id) && byId.size >= MAX_TARGETS) {
        throw new AwsError(
          'LimitExceededException',
          `The requested resource exceeds the maximum number allowed: rule ${rule.Name} can have ${MAX_TARGETS} targets`,
        );
      }
      byId.set(target.Id, target);
    }
    this.store.put(RULES, rule.Name, { ...rule, Targets: [...byId.values()] });
    return failed;
  }

  removeTargets(input: RemoveTargetsRequest): FailedTarget[] {
    const rule = this.describe({ Name: input.Rule, EventBusName: input.EventBusName });
    const ids = input.Ids;
    if (!Array.isArray(ids) || ids.length < 1)
      throw validationError('Ids must be a list of 1-100 target ids');
    const remaining = rule.Targets.filter((target) => !(ids as string[]).includes(target.Id));
    this.store.put(RULES, rule.Name, { ...rule, Targets: remaining });
    return [];
  }
}

function ruleName(name: unknown): string {
  if (typeof name !== 'string' || !RULE_NAME.test(name))
    throw validationError(
      `Rule name ${JSON.stringify(name)} is not valid; expected 1-64 letters, digits, '.', '-' and '_'`,
    );
  return name;
}

function checkBus(bus: unknown): void {
  if (
    bus === undefined ||
    bus === DEFAULT_BUS ||
    (typeof bus === 'string' && bus.endsWith(':event-bus/default'))
  )
    return;
  throw new AwsError(
    'ResourceNotFoundException',
    `Event bus ${String(bus)} does not exist. The local AWS has the default event bus only.`,
  );
}

function targetProblem(target: TargetRecord): string | undefined {
  if (typeof target.Id !== 'string' || !TARGET_ID.test(target.Id))
    return `target Id ${JSON.stringify(target.Id)} is not valid; expected 1-64 letters, digits, '.', '-' and '_'`;
  if (typeof target.Arn !== 'string' || !DELIVERABLE_ARN.test(target.Arn))
    return `target ${target.Id}: Arn ${JSON.stringify(target.Arn)} is not one the local AWS delivers to; use an SNS topic, an EventBridge API destination or a Lambda function ARN`;
  return inputProblem(target);
}
