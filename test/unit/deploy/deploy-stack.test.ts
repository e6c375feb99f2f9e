import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

import {
  DeployFailedError,
  deployStack,
  type DeployClients,
  type DeployOptions,
} from '../../../src/deploy/deploy-stack';
import { DeployTimeoutError } from '../../../src/deploy/poll-until';
import { readTemplate } from '../../../src/deploy/template';
import type { Clock } from '../../../src/aws/clock';
import type { Reporter } from '../../../src/report/reporter';

const cloudformation = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  cloudformation.reset();
  s3.reset();
});

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-stack-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Virtual time: sleeping advances the clock at once, so waits and timeouts run instantly. */
function fakeClock(): Clock {
  let now = 1_000_000;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
}

function recordingReporter(): Reporter & { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    info: (message) => lines.push(message),
    warning: (message) => warnings.push(message),
    group: (title, groupLines) => lines.push(title, ...groupLines),
    stepTransition: () => undefined,
  };
}

function templateFile(body: object | string): ReturnType<typeof readTemplate> {
  const file = path.join(dir, `t-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return readTemplate(file);
}

const clients = (): DeployClients => ({
  cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
  s3: async () => new S3Client({ region: 'us-east-1' }),
});

function options(extra: Partial<DeployOptions> = {}): DeployOptions {
  const clock = extra.clock ?? fakeClock();
  return {
    stackName: 'endpoint',
    template: templateFile({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }),
    parameters: {},
    capabilities: ['CAPABILITY_IAM'],
    tags: {},
    changeSetName: 'mlops-1-1-abc',
    deadline: clock.now() + 10 * 60_000,
    failOnEmptyChangeSet: false,
    pollSeconds: 1,
    clock,
    ...extra,
  };
}

const event = (id: string, logicalId: string, status: string, reason?: string): StackEvent => ({
  EventId: id,
  StackName: 'endpoint',
  StackId: 'stack-id',
  LogicalResourceId: logicalId,
  ResourceType: logicalId === 'endpoint' ? 'AWS::CloudFormation::Stack' : 'AWS::SageMaker::Endpoint',
  ResourceStatus: status as StackEvent['ResourceStatus'],
  Timestamp: new Date(Number(id) * 1000),
  ...(reason ? { ResourceStatusReason: reason } : {}),
});

test('a stack left in ROLLBACK_COMPLETE is deleted (with a warning) and created again', async () => {
  cloudformation
    .on(DescribeStacksCommand)
    .resolvesOnce({
      Stacks: [
        {
          StackName: 'endpoint',
          StackId: 'old-id',
          StackStatus: 'ROLLBACK_COMPLETE',
          CreationTime: new Date(),
        },
      ],
    })
    .resolvesOnce({
      Stacks: [
        {
          StackName: 'endpoint',
          StackId: 'old-id',
          StackStatus: 'DELETE_COMPLETE',
          CreationTime: new Date(),
        },
      ],
    })
    .resolves({
      Stacks: [
        {
          StackName: 'endpoint',
          StackId: 'new-id',
          StackStatus: 'CREATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: [{ OutputKey: 'EndpointName', OutputValue: 'ep' }],
        },
      ],
    });
  cloudformation.on(CreateChangeSetCommand).resolves({ Id: 'cs-id' });
  cloudformation.on(DescribeChangeSetCommand).resolves({
    Status: 'CREATE_COMPLETE',
    Changes: [
      { ResourceChange: { Action: 'Add', LogicalResourceId: 'Topic', ResourceType: 'AWS::SNS::Topic' } },
    ],
  });
  cloudformation.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  const reporter = recordingReporter();
  const result = await deployStack(clients(), options(), reporter);
  expect(cloudformation.commandCalls(DeleteStackCommand)[0]?.args[0].input).toEqual({ StackName: 'old-id' });
  expect(cloudformation.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.ChangeSetType).toBe('CREATE');
  expect(reporter.warnings[0]).toMatch(/ROLLBACK_COMPLETE .* deleting it and creating it again/);
  expect(result).toMatchObject({
    recreated: true,
    changed: true,
    status: 'CREATE_COMPLETE',
    outputs: { EndpointName: 'ep' },
  });
});

test('"no changes" is success with changed=false, and the empty change set is deleted', async () => {
  cloudformation.on(DescribeStacksCommand).resolves({
    Stacks: [
      { StackName: 'endpoint', StackId: 'id', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() },
    ],
  });
  cloudformation.on(CreateChangeSetCommand).resolves({ Id: 'cs-id' });
  cloudformation.on(DescribeChangeSetCommand).resolvesOnce({ Status: 'CREATE_PENDING' }).resolves({
    Status: 'FAILED',
    StatusReason:
      "The submitted information didn't contain changes. Submit different information to create a change set.",
  });
  const result = await deployStack(clients(), options(), recordingReporter());
  expect(result.changed).toBe(false);
  expect(cloudformation.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.ChangeSetType).toBe('UPDATE');
  expect(cloudformation.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  expect(cloudformation.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
});

test('with fail-on-empty-changeset, "no changes" fails', async () => {
  cloudformation.on(DescribeStacksCommand).resolves({
    Stacks: [{ StackName: 'endpoint', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() }],
  });
  cloudformation.on(CreateChangeSetCommand).resolves({ Id: 'cs-id' });
  cloudformation
    .on(DescribeChangeSetCommand)
    .resolves({ Status: 'FAILED', StatusReason: 'No updates are to be performed.' });
  await expect(
    deployStack(clients(), options({ failOnEmptyChangeSet: true }), recordingReporter()),
  ).rejects.toThrow('stack endpoint has no changes to deploy (fail-on-empty-changeset is true)');
});

test('a rollback fails the deployment with the first resource failure, not the cancellations after it', async () => {
  cloudformation
    .on(DescribeStacksCommand)
    .resolvesOnce({
      Stacks: [{ StackName: 'endpoint', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }],
    })
    .resolvesOnce({
      Stacks: [{ StackName: 'endpoint', StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: new Date() }],
    })
    .resolves({
      Stacks: [{ StackName: 'endpoint', StackStatus: 'UPDATE_ROLLBACK_COMPLETE', CreationTime: new Date() }],
    });
  cloudformation.on(CreateChangeSetCommand).resolves({ Id: 'cs-id' });
  cloudformation.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [] });
  cloudformation
    .on(DescribeStackEventsCommand)
    .resolvesOnce({ StackEvents: [event('1', 'endpoint', 'UPDATE_COMPLETE')] })
    .resolvesOnce({
      StackEvents: [event('2', 'endpoint', 'UPDATE_IN_PROGRESS'), event('1', 'endpoint', 'UPDATE_COMPLETE')],
    })
    .resolves({
      StackEvents: [
        event('5', 'endpoint', 'UPDATE_ROLLBACK_COMPLETE'),
        event('4', 'Alarm', 'UPDATE_FAILED', 'Resource update cancelled'),
        event('3', 'Endpoint', 'UPDATE_FAILED', 'Model failed to load: corrupt artifact'),
        event('2', 'endpoint', 'UPDATE_IN_PROGRESS'),
      ],
    });
  const reporter = recordingReporter();
  const error = await deployStack(clients(), options(), reporter).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DeployFailedError);
  expect((error as Error).message).toBe(
    'stack endpoint ended UPDATE_ROLLBACK_COMPLETE; first failure: Endpoint (AWS::SageMaker::Endpoint) UPDATE_FAILED: Model failed to load: corrupt artifact',
  );
  expect((error as DeployFailedError).result.events.map((e) => e.id)).toEqual(['2', '3', '4', '5']);
  expect(reporter.lines.filter((line) => line.includes('UPDATE_FAILED'))).toHaveLength(2);
});

test('a stack busy with another operation is refused before any change set', async () => {
  cloudformation.on(DescribeStacksCommand).resolves({
    Stacks: [{ StackName: 'endpoint', StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: new Date() }],
  });
  await expect(deployStack(clients(), options(), recordingReporter())).rejects.toThrow(
    'stack endpoint is UPDATE_IN_PROGRESS: another operation is running',
  );
  expect(cloudformation.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
});

test('the timeout the user gives is the timeout: the wait fails when it passes', async () => {
  const clock = fakeClock();
  cloudformation
    .on(DescribeStacksCommand)
    .resolvesOnce({
      Stacks: [{ StackName: 'endpoint', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }],
    })
    .resolves({
      Stacks: [{ StackName: 'endpoint', StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: new Date() }],
    });
  cloudformation.on(CreateChangeSetCommand).resolves({ Id: 'cs-id' });
  cloudformation.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [] });
  cloudformation.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  const error = await deployStack(
    clients(),
    options({ clock, deadline: clock.now() + 90 * 60_000, pollSeconds: 60 }),
    recordingReporter(),
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeployTimeoutError);
  expect((error as Error).message).toBe(
    'timed out waiting for stack endpoint to finish deploying after 1h 30m 0s',
  );
});

test('throttling while waiting is ridden out', async () => {
  const throttled = Object.assign(new Error('Rate exceeded'), {
    name: 'Throttling',
    $metadata: { httpStatusCode: 400 },
  });
  cloudformation
    .on(DescribeStacksCommand)
    .resolvesOnce({
      Stacks: [{ StackName: 'endpoint', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }],
    })
    .rejectsOnce(throttled)
    .resolves({
      Stacks: [{ StackName: 'endpoint', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }],
    });
  cloudformation.on(CreateChangeSetCommand).resolves({ Id: 'cs-id' });
  cloudformation
    .on(DescribeChangeSetCommand)
    .rejectsOnce(throttled)
    .resolves({ Status: 'CREATE_COMPLETE', Changes: [] });
  cloudformation.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  const reporter = recordingReporter();
  const result = await deployStack(clients(), options(), reporter);
  expect(result.status).toBe('UPDATE_COMPLETE');
  expect(reporter.warnings).toHaveLength(2);
  expect(reporter.warnings[0]).toContain('Throttling: Rate exceeded');
});

test('a template over 51,200 bytes goes through the template bucket, and needs one', async () => {
  const big = templateFile({
    Description: 'x'.repeat(52_000),
    Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
  });
  cloudformation.on(DescribeStacksCommand).resolves({});
  await expect(deployStack(clients(), options({ template: big }), recordingReporter())).rejects.toThrow(
    /is \d+ bytes; CloudFormation takes at most 51200 inline — set template-bucket/,
  );
  cloudformation.reset();
  cloudformation
    .on(DescribeStacksCommand)
    .resolvesOnce({})
    .resolves({
      Stacks: [{ StackName: 'endpoint', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() }],
    });
  cloudformation.on(CreateChangeSetCommand).resolves({ Id: 'cs-id' });
  cloudformation.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [] });
  cloudformation.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  s3.on(PutObjectCommand).resolves({});
  const previous = process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL;
  try {
    await deployStack(
      clients(),
      options({ template: big, templateBucket: 'templates', region: 'eu-west-1' }),
      recordingReporter(),
    );
  } finally {
    if (previous !== undefined) process.env.AWS_ENDPOINT_URL = previous;
  }
  const key = s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Key ?? '';
  expect(key).toMatch(/^mlops-templates\/endpoint\/[0-9a-f]{32}\.template$/);
  const input = cloudformation.commandCalls(CreateChangeSetCommand)[0]?.args[0].input;
  expect(input?.TemplateURL).toBe(`https://templates.s3.eu-west-1.amazonaws.com/${key}`);
  expect(input?.TemplateBody).toBeUndefined();
});
