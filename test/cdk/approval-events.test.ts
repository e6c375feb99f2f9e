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

test('three rules on the registry events of the group: pending → SNS, approved/rejected → GitHub', () => {
  template.resourceCountIs('AWS::Events::Rule', 3);
  const topic = { Ref: Match.stringLikeRegexp('ApproversTopic') };
  const destination = { 'Fn::GetAtt': [Match.stringLikeRegexp('RepositoryDispatch'), 'Arn'] };
  template.hasResourceProperties('AWS::Events::Rule', {
    Name: `${group}-pending-review`,
    EventPattern: stateChange('PendingManualApproval'),
    Targets: [Match.objectLike({ Arn: topic, InputTransformer: Match.objectLike({}) })],
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
              version: '$.detail.ModelPackageVersion',
              eventId: '$.id',
            },
            InputTemplate: Match.stringLikeRegexp(`"event_type": "${eventType}"`),
          },
        }),
      ],
    });
  }
  // The template is the one the local AWS runs too.
  const templates = approvalRules(group).map((rule) => rule.inputTemplate);
  const rules = Object.values(template.findResources('AWS::Events::Rule'));
  expect(rules.map((rule) => rule.Properties.Targets[0].InputTransformer.InputTemplate).sort()).toEqual(
    templates.sort(),
  );
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

test('the approvers topic: encrypted with a rotating key EventBridge may use, TLS only, e-mail from a parameter, published to by the pending rule alone', () => {
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
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({
          Effect: 'Allow',
          Action: 'sns:Publish',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: {
            ArnEquals: {
              'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('Rulependingreview'), 'Arn'] },
            },
          },
        }),
      ]),
    },
  });
});

test('no secret in the template and no Lambda for the approval loop', () => {
  const text = JSON.stringify(template.toJSON());
  expect(text).not.toMatch(/gh[pousr]_[A-Za-z0-9]{20,}|github_pat_/);
  expect(text).not.toMatch(/Bearer [\w.-]{8,}/);
  template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  template.resourceCountIs('AWS::Lambda::Function', 0);
});

test('cdk-nag finds nothing in the stack', () => {
  expect(nagFindings(stack)).toEqual([]);
});
