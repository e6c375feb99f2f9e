import type {
  ListTargetsByRuleRequest,
  ListTargetsByRuleResponse,
  PutTargetsRequest,
  PutTargetsResponse,
  RemoveTargetsRequest,
  RemoveTargetsResponse,
  Target,
} from '@aws-sdk/client-eventbridge';

import { operation } from '../../../core/operations';
import { invalidTokenValidation, pageOf } from '../../../core/pagination';
import type { OperationHandler } from '../../../core/service';
import type { RuleStore } from '../rules';

/** A rule's targets: put (replacing by Id), remove, list. */
export function targetOperations(rules: RuleStore): Record<string, OperationHandler> {
  return {
    PutTargets: operation<PutTargetsRequest, PutTargetsResponse>((input) => {
      const failed = rules.putTargets(input);
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    }),
    RemoveTargets: operation<RemoveTargetsRequest, RemoveTargetsResponse>((input) => {
      const failed = rules.removeTargets(input);
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    }),
    ListTargetsByRule: operation<ListTargetsByRuleRequest, ListTargetsByRuleResponse>((input) => {
      const rule = rules.describe({ Name: input.Rule, EventBusName: input.EventBusName });
      const page = pageOf(rule.Targets as Target[], {
        defaultSize: 100,
        ...(input.Limit !== undefined ? { size: input.Limit } : {}),
        ...(input.NextToken !== undefined ? { token: input.NextToken } : {}),
        invalidToken: invalidTokenValidation,
      });
      return { Targets: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
    }),
  };
}
