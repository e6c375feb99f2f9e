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

import {
  approvalRuleName,
  approvalRules,
  reviewNotifierName,
  type ApprovalRule,
} from '../../../src/approval/rules';
import { ReviewNotifierFunction } from './review-notifier-function';

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
  /** What the notifier compares a new package with: the production endpoint stack and its endpoint. */
  readonly serving: { readonly stackName: string; readonly endpointName: string };
  /** Where the evaluation reports are: `s3://<bucket>/<prefix>/<execution id>/.../evaluation.json`. */
  readonly reports: { readonly bucket: string; readonly prefix: string };
}

/**
 * Closes the approval loop on AWS: EventBridge rules on the registry's `SageMaker Model Package State
 * Change` events of one group (src/approval/rules.ts) send PendingManualApproval to the notifier Lambda,
 * which e-mails the approvers through an SNS topic what to review (the package's metrics against the
 * deployed one: an input transformer cannot compute that), and Approved / Rejected to GitHub's
 * repository_dispatch through an API destination whose connection reads the token from Secrets Manager
 * (no Lambda on that path).
 */
export class ModelApprovalEvents extends Construct {
  readonly topic: Topic;
  readonly apiDestination: ApiDestination;
  readonly notifier: ReviewNotifierFunction;

  constructor(scope: Construct, id: string, props: ModelApprovalEventsProps) {
    super(scope, id);
    const topicKey = new Key(this, 'TopicKey', {
      description: 'Encrypts the model approval notifications topic',
      enableKeyRotation: true,
    });
    this.topic = new Topic(this, 'ApproversTopic', {
      displayName: 'Model packages awaiting review',
      masterKey: topicKey,
      enforceSSL: true,
    });
    this.topic.addSubscription(new EmailSubscription(props.approvalEmail));
    this.notifier = new ReviewNotifierFunction(this, 'ReviewNotifier', {
      functionName: reviewNotifierName(props.modelPackageGroupName),
      modelPackageGroupName: props.modelPackageGroupName,
      endpointStackName: props.serving.stackName,
      endpointName: props.serving.endpointName,
      reportsBucket: props.reports.bucket,
      reportsPrefix: props.reports.prefix,
      topic: this.topic,
      topicKey,
    });
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

  private rule(groupName: string, rule: ApprovalRule, invokeRole: Role): void {
    const destination =
      rule.target === 'notifier'
        ? { arn: this.notifier.function.functionArn }
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
          ...(rule.input
            ? {
                inputTransformer: {
                  inputPathsMap: { ...rule.input.inputPathsMap },
                  inputTemplate: rule.input.inputTemplate,
                },
              }
            : {}),
          // GitHub outages: keep retrying for a day (EventBridge's maximum) rather than lose an approval.
          retryPolicy: {
            maximumEventAgeInSeconds: Duration.hours(24).toSeconds(),
            maximumRetryAttempts: 185,
          },
        },
      ],
    });
    if (rule.target === 'notifier') {
      // Only this rule may invoke the notifier.
      this.notifier.function.addPermission('InvokeFromPendingReviewRule', {
        principal: new ServicePrincipal('events.amazonaws.com'),
        sourceArn: cfnRule.attrArn,
      });
    }
  }
}
