import { Duration, SecretValue } from 'aws-cdk-lib';
import {
  ApiDestination,
  Authorization,
  CfnRule,
  Connection,
  HttpMethod,
  HttpParameter,
} from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

import { approvalRuleName, approvalRules, type ApprovalRule } from '../../../src/approval/rules';

export interface ModelApprovalEventsProps {
  readonly modelPackageGroupName: string;
  readonly github: { readonly owner: string; readonly repo: string };
  /** Receives "a package awaits review" (confirm the SNS subscription e-mail once). */
  readonly approvalEmail: string;
  /**
   * Secrets Manager secret (name or ARN) whose SecretString is the Authorization header value
   * `Bearer <token>`: a fine-grained GitHub token for this one repository with "Contents: read and
   * write" (what POST /repos/{owner}/{repo}/dispatches needs), nothing else. The template holds only a
   * dynamic reference to it.
   */
  readonly githubTokenSecret: string;
}

/**
 * Closes the approval loop on AWS without a Lambda: EventBridge rules on the registry's
 * `SageMaker Model Package State Change` events of one group (src/approval/rules.ts) send
 * PendingManualApproval to an SNS topic with an e-mail subscription, and Approved / Rejected to GitHub's
 * repository_dispatch through an API destination whose connection reads the token from Secrets Manager.
 */
export class ModelApprovalEvents extends Construct {
  readonly topic: Topic;
  readonly apiDestination: ApiDestination;

  constructor(scope: Construct, id: string, props: ModelApprovalEventsProps) {
    super(scope, id);
    this.topic = this.approversTopic(props.approvalEmail);
    const connection = new Connection(this, 'GitHubConnection', {
      description: `GitHub API for ${props.github.owner}/${props.github.repo} (token from Secrets Manager)`,
      authorization: Authorization.apiKey(
        'Authorization',
        SecretValue.secretsManager(props.githubTokenSecret),
      ),
      headerParameters: {
        Accept: HttpParameter.fromString('application/vnd.github+json'),
        'X-GitHub-Api-Version': HttpParameter.fromString('2022-11-28'),
      },
    });
    this.apiDestination = new ApiDestination(this, 'RepositoryDispatch', {
      description: `repository_dispatch of ${props.github.owner}/${props.github.repo}`,
      connection,
      endpoint: `https://api.github.com/repos/${props.github.owner}/${props.github.repo}/dispatches`,
      httpMethod: HttpMethod.POST,
      rateLimitPerSecond: 1,
    });
    const invokeRole = new Role(this, 'InvokeDispatchRole', {
      assumedBy: new ServicePrincipal('events.amazonaws.com'),
      description: 'EventBridge: call the GitHub repository_dispatch API destination, nothing else',
    });
    invokeRole.addToPolicy(
      new PolicyStatement({
        actions: ['events:InvokeApiDestination'],
        resources: [this.apiDestination.apiDestinationArn],
      }),
    );
    for (const rule of approvalRules(props.modelPackageGroupName))
      this.rule(props.modelPackageGroupName, rule, invokeRole);
  }

  /** EventBridge publishes only to topics encrypted with a customer managed key that lets it. */
  private approversTopic(email: string): Topic {
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the model approval notifications topic',
      enableKeyRotation: true,
    });
    key.grant(new ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new Topic(this, 'ApproversTopic', {
      displayName: 'Model packages awaiting review',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addSubscription(new EmailSubscription(email));
    return topic;
  }

  private rule(groupName: string, rule: ApprovalRule, invokeRole: Role): void {
    const destination =
      rule.target === 'notify'
        ? { arn: this.topic.topicArn }
        : { arn: this.apiDestination.apiDestinationArn, roleArn: invokeRole.roleArn };
    const cfnRule = new CfnRule(this, `Rule-${rule.transition}`, {
      name: approvalRuleName(groupName, rule.transition),
      description: rule.description,
      eventPattern: rule.eventPattern,
      state: 'ENABLED',
      targets: [
        {
          id: rule.target,
          ...destination,
          inputTransformer: { inputPathsMap: { ...rule.inputPathsMap }, inputTemplate: rule.inputTemplate },
          // GitHub outages: keep retrying for a day (EventBridge's maximum) rather than lose an approval.
          retryPolicy: {
            maximumEventAgeInSeconds: Duration.hours(24).toSeconds(),
            maximumRetryAttempts: 185,
          },
        },
      ],
    });
    if (rule.target === 'notify') {
      // Only this rule may publish to the topic.
      this.topic.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [this.topic.topicArn],
          conditions: { ArnEquals: { 'aws:SourceArn': cfnRule.attrArn } },
        }),
      );
    }
  }
}
