import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

import {
  EventBridgeClient,
  InvalidEventPatternException,
  ListRulesCommand,
  PutRuleCommand,
  PutEventsCommand,
  PutTargetsCommand,
  ResourceNotFoundException,
  DescribeRuleCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateModelPackageGroupCommand,
  CreateModelPackageCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';

import {
  DELIVERY_COLLECTIONS,
  listDeliveries,
  type LambdaDelivery,
  type SnsDelivery,
} from '../../../local/services/events/deliveries';
import { findPython } from '../../../local/runtimes/python';
import { StateStore } from '../../../local/state/store';
import { useLocalAws } from './harness';

const harness = useLocalAws();
const topicMessages = (topic: string) =>
  listDeliveries<SnsDelivery>(new StateStore(harness.aws().stateDir), DELIVERY_COLLECTIONS.sns(topic));

describe('the local EventBridge', () => {
  it('refuses what EventBridge refuses, with its error types', async () => {
    const events = harness.client(EventBridgeClient);
    await expect(
      events.send(new PutRuleCommand({ Name: 'bad', EventPattern: JSON.stringify({ detail: { x: [] } }) })),
    ).rejects.toBeInstanceOf(InvalidEventPatternException);
    await expect(events.send(new DescribeRuleCommand({ Name: 'missing' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      events.send(
        new PutRuleCommand({ Name: 'other-bus', EventPattern: '{"source":["x"]}', EventBusName: 'custom' }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('lists rules by prefix, a page at a time', async () => {
    const events = harness.client(EventBridgeClient);
    for (const name of ['page-a', 'page-b', 'page-c'])
      await events.send(new PutRuleCommand({ Name: name, EventPattern: '{"source":["x"]}' }));
    const first = await events.send(new ListRulesCommand({ NamePrefix: 'page-', Limit: 2 }));
    expect(first.Rules?.map((rule) => rule.Name)).toEqual(['page-a', 'page-b']);
    const second = await events.send(
      new ListRulesCommand({ NamePrefix: 'page-', NextToken: first.NextToken }),
    );
    expect(second.Rules?.map((rule) => rule.Name)).toEqual(['page-c']);
    expect(second.NextToken).toBeUndefined();
  });

  it("receives the registry's state-change events in the documented shape and matches them on nested fields", async () => {
    const events = harness.client(EventBridgeClient);
    await events.send(
      new PutRuleCommand({
        Name: 'registry-watch',
        EventPattern: JSON.stringify({
          source: ['aws.sagemaker'],
          'detail-type': ['SageMaker Model Package State Change'],
          resources: [{ prefix: 'arn:aws:sagemaker:us-east-1:000000000000:model-package/watched/' }],
          detail: {
            ModelApprovalStatus: [{ 'anything-but': 'Approved' }],
            ModelPackageVersion: [{ numeric: ['>', 0] }],
          },
        }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'registry-watch',
        Targets: [{ Id: 'all', Arn: 'arn:aws:sns:us-east-1:000000000000:registry-watch' }],
      }),
    );
    const sagemaker = harness.client(SageMakerClient);
    await sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'watched' }));
    await sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'unwatched' }));
    const spec = {
      Containers: [{ Image: 'x:1', ModelDataUrl: 's3://b/m.tar.gz' }],
      SupportedContentTypes: ['text/csv'],
      SupportedResponseMIMETypes: ['text/csv'],
    };
    const { ModelPackageArn } = await sagemaker.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'watched',
        InferenceSpecification: spec,
        Tags: [{ Key: 'team', Value: 'ml' }],
      }),
    );
    await sagemaker.send(
      new CreateModelPackageCommand({ ModelPackageGroupName: 'unwatched', InferenceSpecification: spec }),
    );
    await sagemaker.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'watched',
        InferenceSpecification: spec,
        ModelApprovalStatus: 'Approved',
      }),
    );
    const delivered = topicMessages('registry-watch').map(
      (delivery) => JSON.parse(delivery.Message) as Record<string, unknown>,
    );
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'SageMaker Model Package State Change',
      source: 'aws.sagemaker',
      account: '000000000000',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'us-east-1',
      resources: [ModelPackageArn],
      detail: expect.objectContaining({
        ModelPackageArn,
        ModelPackageGroupName: 'watched',
        ModelPackageVersion: 1,
        ModelApprovalStatus: 'PendingManualApproval',
        ModelPackageStatus: 'Completed',
        CreationTime: expect.any(Number),
        InferenceSpecification: spec,
        Tags: { team: 'ml' },
      }),
    });
  });

  it('delivers the whole event to a Lambda function target (kept on disk for its stand-in), qualified ARNs too', async () => {
    const events = harness.client(EventBridgeClient);
    await events.send(new PutRuleCommand({ Name: 'to-lambda', EventPattern: '{"source":["lambda.test"]}' }));
    const put = await events.send(
      new PutTargetsCommand({
        Rule: 'to-lambda',
        Targets: [
          { Id: 'fn', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:notifier:live' },
          { Id: 'bad', Arn: 'arn:aws:lambda:us-east-1:000000000000:layer:x' },
        ],
      }),
    );
    expect(put.FailedEntries?.map((entry) => entry.TargetId)).toEqual(['bad']);
    await events.send(
      new PutEventsCommand({
        Entries: [{ Source: 'lambda.test', DetailType: 't', Detail: JSON.stringify({ n: 1 }) }],
      }),
    );
    const invocations = listDeliveries<LambdaDelivery>(
      new StateStore(harness.aws().stateDir),
      DELIVERY_COLLECTIONS.lambda('notifier'),
    );
    expect(invocations).toHaveLength(1);
    expect(JSON.parse(invocations[0]!.Payload)).toMatchObject({
      source: 'lambda.test',
      'detail-type': 't',
      detail: { n: 1 },
    });
  });

  it('works with a client nobody here wrote: boto3', async () => {
    const run = await promisify(execFile)(
      findPython(),
      [path.join(__dirname, 'fixtures', 'boto3_events.py'), harness.aws().endpoint],
      { timeout: 25_000 },
    );
    expect(JSON.parse(run.stdout)).toEqual({
      rule_arn: 'arn:aws:events:us-east-1:000000000000:rule/boto3-rule',
      described: 'ENABLED',
      failed_targets: ['bad'],
      targets: ['topic'],
      put_events: ['ok', 'NotAuthorizedForSourceException', 'MalformedDetail'],
      bad_pattern: 'InvalidEventPatternException',
      delete_with_targets: 'ValidationException',
      deleted: 'ResourceNotFoundException',
    });
    expect(topicMessages('boto3-topic').map((delivery) => delivery.Message)).toEqual(['"level 5"']);
  }, 30_000);
});
