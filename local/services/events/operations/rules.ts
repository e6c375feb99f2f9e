import type {
  DeleteRuleRequest,
  DescribeRuleRequest,
  DescribeRuleResponse,
  ListRulesRequest,
  ListRulesResponse,
  PutRuleRequest,
  PutRuleResponse,
  Rule,
} from '@aws-sdk/client-eventbridge';

import { operation } from '../../../core/operations';
import { invalidTokenValidation, pageOf } from '../../../core/pagination';
import type { OperationHandler } from '../../../core/service';
import type { RuleRecord, RuleStore } from '../rules';

/** Rules of the default event bus: put, describe, list, delete. */
export function ruleOperations(rules: RuleStore): Record<string, OperationHandler> {
  return {
    PutRule: operation<PutRuleRequest, PutRuleResponse>((input) => ({
      RuleArn: rules.put(input).Arn,
    })),
    DescribeRule: operation<DescribeRuleRequest, DescribeRuleResponse>((input) => {
      const rule = withoutTargets(rules.describe(input));
      return { ...rule, CreatedBy: rule.Arn?.split(':')[4] };
    }),
    ListRules: operation<ListRulesRequest, ListRulesResponse>((input) => {
      const page = pageOf(rules.list(input.NamePrefix), {
        defaultSize: 100,
        ...(input.Limit !== undefined ? { size: input.Limit } : {}),
        ...(input.NextToken !== undefined ? { token: input.NextToken } : {}),
        invalidToken: invalidTokenValidation,
      });
      return {
        Rules: page.items.map(withoutTargets),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    }),
    DeleteRule: operation<DeleteRuleRequest, Record<string, never>>((input) => {
      rules.delete(input);
      return {};
    }),
  };
}

function withoutTargets({ Targets: _targets, ...rule }: RuleRecord): Rule {
  return rule;
}
