import { PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';

import { LOCAL_DISPATCH_DESTINATION } from './local-github';
import { approvalRuleName, approvalRules, reviewNotifierName } from './rules';

/**
 * The approval rules of rules.ts on the local EventBridge, with local targets: the group's notifier
 * function (invocations kept on disk for runLocalNotifier) and the `github-dispatch` API destination
 * (requests kept on disk for LocalGitHub).
 */
export async function putLocalApprovalRules(
  eventbridge: EventBridgeClient,
  options: {
    readonly groupName: string;
    /** Any ARN of the account and region (e.g. the package's or the pipeline's): where the targets live. */
    readonly accountArn: string;
  },
): Promise<void> {
  const [, partition, , region, account] = options.accountArn.split(':');
  const targets = {
    notifier: `arn:${partition}:lambda:${region}:${account}:function:${reviewNotifierName(options.groupName)}`,
    dispatch: `arn:${partition}:events:${region}:${account}:api-destination/${LOCAL_DISPATCH_DESTINATION}/local`,
  };
  for (const rule of approvalRules(options.groupName)) {
    const name = approvalRuleName(options.groupName, rule.transition);
    await eventbridge.send(
      new PutRuleCommand({
        Name: name,
        EventPattern: JSON.stringify(rule.eventPattern),
        Description: rule.description,
        State: 'ENABLED',
      }),
    );
    const { FailedEntryCount, FailedEntries } = await eventbridge.send(
      new PutTargetsCommand({
        Rule: name,
        Targets: [
          {
            Id: rule.target,
            Arn: targets[rule.target],
            ...(rule.input
              ? {
                  InputTransformer: {
                    InputPathsMap: { ...rule.input.inputPathsMap },
                    InputTemplate: rule.input.inputTemplate,
                  },
                }
              : {}),
          },
        ],
      }),
    );
    if (FailedEntryCount)
      throw new Error(`PutTargets on rule ${name} failed: ${JSON.stringify(FailedEntries)}`);
  }
}
