import { Match, Template } from 'aws-cdk-lib/assertions';

import { infraConfigFromContext } from '../../infra/lib/config';
import { ModelApprovalStack } from '../../infra/lib/model-approval-stack';
import { approvalRules } from '../../src/approval/rules';
import { nagFindings, removeAssemblies, testApp } from './apps';

import cdkJson from '../../infra/cdk.json';

afterAll(removeAssemblies);

const app = testApp({ context: cdkJson.context });
const config = infraConfigFromContext(app.node);
const stack = new ModelApprovalStack(app, 'MlopsModelApproval', { config });
const template = Template.fromStack(stack);
const group = config.modelPackageGroupName;
const { owner, repo } = config.github;

const stateChange = (status: string) => ({
  source: ['aws.sagemaker'],
  'detail-type': ['SageMaker Model Package State Change'],
  detail: {
    ModelPackageGroupName: [group],
    ModelApprovalStatus: [status],
    ModelPackageStatus: ['Completed'],
  },
});

const notifierArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('ReviewNotifierFunction'), 'Arn'] };

test('three rules on the registry events of the group: pending → notifier Lambda, approved/rejected → GitHub', () => {
  template.resourceCountIs('AWS::Events::Rule', 3);
  const destination = { 'Fn::GetAtt': [Match.stringLikeRegexp('RepositoryDispatch'), 'Arn'] };
  template.hasResourceProperties('AWS::Events::Rule', {
    Name: `${group}-pending-review`,
    EventPattern: stateChange('PendingManualApproval'),
    // The whole event: the notifier reads the package itself.
    Targets: [Match.objectLike({ Arn: notifierArn, InputTransformer: Match.absent() })],
  });
  for (const [status, eventType] of [
    ['Approved', 'model-approved'],
    ['Rejected', 'model-rejected'],
  ] as const) {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: stateChange(status),
      Targets: [
        Match.objectLike({
          Arn: destination,
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('InvokeDispatchRole'), 'Arn'] },
          InputTransformer: {
            InputPathsMap: {
              arn: '$.detail.ModelPackageArn',
              group: '$.detail.ModelPackageGroupName',
              eventId: '$.id',
            },
            InputTemplate: Match.stringLikeRegexp(`"event_type": "${eventType}"`),
          },
        }),
      ],
    });
  }
  // The template is the one the local AWS runs too.
  const templates = approvalRules(group).flatMap((rule) => (rule.input ? [rule.input.inputTemplate] : []));
  const rules = Object.values(template.findResources('AWS::Events::Rule'));
  expect(
    rules.flatMap((rule) => rule.Properties.Targets[0].InputTransformer?.InputTemplate ?? []).sort(),
  ).toEqual(templates.sort());
});

test("the API destination posts to the repository's dispatches endpoint; the connection reads the token from Secrets Manager", () => {
  template.hasResourceProperties('AWS::Events::ApiDestination', {
    HttpMethod: 'POST',
    InvocationEndpoint: `https://api.github.com/repos/${owner}/${repo}/dispatches`,
    InvocationRateLimitPerSecond: 1,
  });
  template.hasResourceProperties('AWS::Events::Connection', {
    AuthorizationType: 'API_KEY',
    AuthParameters: {
      ApiKeyAuthParameters: {
        ApiKeyName: 'Authorization',
        ApiKeyValue: {
          'Fn::Join': [
            '',
            ['{{resolve:secretsmanager:', { Ref: 'GitHubTokenSecretName' }, ':SecretString:::}}'],
          ],
        },
      },
      InvocationHttpParameters: {
        HeaderParameters: Match.arrayWith([
          { Key: 'Accept', Value: 'application/vnd.github+json', IsValueSecret: false },
        ]),
      },
    },
  });
  template.hasParameter('GitHubTokenSecretName', { Type: 'String', Default: 'mlops/github-dispatch-token' });
});

test('EventBridge may invoke only that API destination', () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })],
    },
  });
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: [
        {
          Effect: 'Allow',
          Action: 'events:InvokeApiDestination',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('RepositoryDispatch'), 'Arn'] },
        },
      ],
    },
    Roles: [{ Ref: Match.stringLikeRegexp('InvokeDispatchRole') }],
  });
});

test('the approvers topic: encrypted with a rotating key, TLS only, e-mail from a parameter', () => {
  template.hasResourceProperties('AWS::SNS::Topic', {
    KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('TopicKey'), 'Arn'] },
  });
  template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  template.hasResourceProperties('AWS::SNS::Subscription', {
    Protocol: 'email',
    Endpoint: { Ref: 'ApprovalEmail' },
    TopicArn: { Ref: Match.stringLikeRegexp('ApproversTopic') },
  });
  template.hasParameter('ApprovalEmail', { Default: config.approvalEmail });
  template.hasResourceProperties('AWS::SNS::TopicPolicy', {
    PolicyDocument: {
      Statement: [
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ],
    },
  });
});

test('the notifier: Node.js 22, bundled, told the topic and the production endpoint stack; only the pending rule invokes it', () => {
  template.resourceCountIs('AWS::Lambda::Function', 1);
  template.hasResourceProperties('AWS::Lambda::Function', {
    FunctionName: `${group}-review-notifier`,
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Environment: {
      Variables: {
        TOPIC_ARN: { Ref: Match.stringLikeRegexp('ApproversTopic') },
        ENDPOINT_STACK_NAME: `${config.endpointStackPrefix}-production`,
      },
    },
  });
  template.resourceCountIs('AWS::Lambda::Permission', 1);
  template.hasResourceProperties('AWS::Lambda::Permission', {
    Action: 'lambda:InvokeFunction',
    Principal: 'events.amazonaws.com',
    FunctionName: notifierArn,
    SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Rulependingreview'), 'Arn'] },
  });
});

test("the notifier's role: the group's packages, the endpoint stack and endpoint, the reports, the one topic and its key, its own logs", () => {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('ReviewNotifierRole') }] },
  });
  const statements = Object.values(policies).flatMap(
    (policy) =>
      policy.Properties.PolicyDocument.Statement as { Sid: string; Action: unknown; Resource: unknown }[],
  );
  const text = (value: unknown) => JSON.stringify(value);
  const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
  expect(Object.keys(bySid).sort()).toEqual([
    'DescribeGroupPackages',
    'EncryptForTopic',
    'PublishToApprovers',
    'ReadEndpointStack',
    'ReadEvaluationReports',
    'ReadServingEndpoint',
    'WriteOwnLogs',
  ]);
  expect(bySid.DescribeGroupPackages!.Action).toBe('sagemaker:DescribeModelPackage');
  expect(text(bySid.DescribeGroupPackages!.Resource)).toContain(`:model-package/${group}/*`);
  expect(bySid.ReadEndpointStack!.Action).toBe('cloudformation:DescribeStacks');
  expect(text(bySid.ReadEndpointStack!.Resource)).toContain(
    `:stack/${config.endpointStackPrefix}-production/*`,
  );
  expect(text(bySid.ReadServingEndpoint!.Resource)).toContain(
    `:endpoint/${config.endpointNamePrefix}-production"`,
  );
  expect(bySid.ReadEvaluationReports!.Action).toBe('s3:GetObject');
  expect(text(bySid.ReadEvaluationReports!.Resource)).toContain(
    `/${config.sagemakerPipelineName}/*/evaluation.json`,
  );
  expect(bySid.PublishToApprovers).toMatchObject({
    Action: 'sns:Publish',
    Resource: { Ref: expect.stringMatching(/ApproversTopic/) as unknown },
  });
  expect(text(bySid.EncryptForTopic!.Resource)).toMatch(/TopicKey/);
  // Nothing writes to the registry, S3 or the stack, nothing is on "*", and the one wildcard action is KMS's.
  const actions = statements.flatMap((statement) => [statement.Action].flat() as string[]);
  expect(actions.filter((action) => /Update|Create|Delete|Put/.test(action)).sort()).toEqual([
    'logs:CreateLogStream',
    'logs:PutLogEvents',
  ]);
  expect(actions.filter((action) => action.includes('*'))).toEqual(['kms:GenerateDataKey*']);
  for (const statement of statements) expect(statement.Resource).not.toBe('*');
});

test('no secret in the template, and no Lambda on the dispatch path', () => {
  const text = JSON.stringify(template.toJSON());
  expect(text).not.toMatch(/gh[pousr]_[A-Za-z0-9]{20,}|github_pat_/);
  expect(text).not.toMatch(/Bearer [\w.-]{8,}/);
  template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  const rules = Object.values(template.findResources('AWS::Events::Rule'));
  const dispatchTargets = rules
    .filter((rule) => rule.Properties.Name !== `${group}-pending-review`)
    .map((rule) => JSON.stringify(rule.Properties.Targets));
  expect(dispatchTargets).toHaveLength(2);
  for (const targets of dispatchTargets) expect(targets).not.toMatch(/Lambda|ReviewNotifier/);
});

test('cdk-nag finds nothing in the stack', () => {
  expect(nagFindings(stack)).toEqual([]);
});
