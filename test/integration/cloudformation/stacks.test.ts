import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import {
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  InsufficientCapabilitiesException,
  ListChangeSetsCommand,
  ListExportsCommand,
  ListStacksCommand,
  UpdateStackCommand,
  ValidateTemplateCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetParameterCommand } from '@aws-sdk/client-ssm';

import { findPython } from '../../../local/runtimes/python';
import { poll, startTestAws, type TestAws } from '../endpoints/local-aws';

const FIXTURES = path.resolve(__dirname, '../../fixtures/templates');
const SHORT_FORMS = fs.readFileSync(path.join(FIXTURES, 'short-forms.template.yaml'), 'utf8');
const NO_CHANGES =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

const FINAL = /(_COMPLETE|_FAILED)$/;

let t: TestAws;

beforeAll(async () => {
  t = await startTestAws();
});

afterAll(async () => {
  await t?.stop();
});

async function stack(name: string): Promise<Stack> {
  const { Stacks } = await t.cfn.send(new DescribeStacksCommand({ StackName: name }));
  return Stacks![0]!;
}

const settled = (name: string) =>
  poll(
    () => stack(name),
    (current) => FINAL.test(current.StackStatus ?? '') && !/CLEANUP/.test(current.StackStatus!),
  );

async function events(name: string) {
  const { StackEvents } = await t.cfn.send(new DescribeStackEventsCommand({ StackName: name }));
  return StackEvents ?? [];
}

async function caught(
  promise: Promise<unknown>,
): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string };
  }
  throw new Error('expected the call to fail');
}

describe('local CloudFormation stacks', () => {
  test('a YAML template with short forms deploys (SDK waiter), with outputs, exports, resources, events and masked NoEcho', async () => {
    const { StackId } = await t.cfn.send(
      new CreateStackCommand({ StackName: 'short-forms', TemplateBody: SHORT_FORMS }),
    );
    expect(StackId).toMatch(
      /^arn:aws:cloudformation:us-east-1:000000000000:stack\/short-forms\/[0-9a-f-]{36}$/,
    );
    await waitUntilStackCreateComplete(
      { client: t.cfn, maxWaitTime: 30, minDelay: 0.1, maxDelay: 0.2 },
      { StackName: 'short-forms' },
    );

    const created = await stack('short-forms');
    expect(created.StackStatus).toBe('CREATE_COMPLETE');
    expect(created.Parameters).toContainEqual({ ParameterKey: 'Secret', ParameterValue: '****' });
    const outputs = Object.fromEntries(created.Outputs!.map((output) => [output.OutputKey, output]));
    expect(outputs.Summary!.OutputValue).toMatch(
      /^staging\|443\|gamma\|7\|arn:aws:s3:::short-forms-bucket-[a-z0-9]{12}\|us-east-1\/000000000000\/\$\{Literal\}\|/,
    );
    expect(outputs.BucketName!.ExportName).toBe('short-forms-bucket');
    expect(outputs.Production).toBeUndefined();

    const parameter = await t.ssm.send(new GetParameterCommand({ Name: '/shortforms/short-forms/summary' }));
    expect(parameter.Parameter!.Value).toBe(outputs.Summary!.OutputValue);

    const { StackResources } = await t.cfn.send(
      new DescribeStackResourcesCommand({ StackName: 'short-forms' }),
    );
    expect(
      StackResources!.map((resource) => [resource.LogicalResourceId, resource.ResourceStatus]).sort(),
    ).toEqual([
      ['Bucket', 'CREATE_COMPLETE'],
      ['Summary', 'CREATE_COMPLETE'],
    ]);
    const statuses = (await events('short-forms'))
      .reverse()
      .map((event) => `${event.LogicalResourceId}:${event.ResourceStatus}`);
    expect(statuses).toEqual([
      'short-forms:CREATE_IN_PROGRESS',
      'Bucket:CREATE_IN_PROGRESS',
      'Bucket:CREATE_COMPLETE',
      'Summary:CREATE_IN_PROGRESS',
      'Summary:CREATE_COMPLETE',
      'short-forms:CREATE_COMPLETE',
    ]);
    const { Exports } = await t.cfn.send(new ListExportsCommand({}));
    expect(Exports).toContainEqual({
      ExportingStackId: StackId,
      Name: 'short-forms-bucket',
      Value: outputs.BucketName!.OutputValue,
    });
    const { TemplateBody } = await t.cfn.send(new GetTemplateCommand({ StackName: 'short-forms' }));
    expect(TemplateBody).toBe(SHORT_FORMS);
  });

  test('updates: a parameter change adds, modifies and keeps resources; an identical update is refused; a no-change change set FAILS', async () => {
    await t.cfn.send(
      new UpdateStackCommand({
        StackName: 'short-forms',
        UsePreviousTemplate: true,
        Parameters: [
          { ParameterKey: 'Stage', ParameterValue: 'production' },
          { ParameterKey: 'Ports', UsePreviousValue: true },
        ],
      }),
    );
    const updated = await settled('short-forms');
    expect(updated.StackStatus).toBe('UPDATE_COMPLETE');
    const outputs = Object.fromEntries(
      updated.Outputs!.map((output) => [output.OutputKey, output.OutputValue]),
    );
    expect(outputs.Production).toBe('yes');
    expect(outputs.Summary).toMatch(/^production\|443\|gamma\|30\|/);
    const { StackResources } = await t.cfn.send(
      new DescribeStackResourcesCommand({ StackName: 'short-forms' }),
    );
    expect(
      StackResources!.map((resource) => [resource.LogicalResourceId, resource.ResourceStatus]).sort(),
    ).toEqual([
      ['Bucket', 'CREATE_COMPLETE'],
      ['ProductionOnly', 'CREATE_COMPLETE'],
      ['Summary', 'UPDATE_COMPLETE'],
    ]);

    const again = await caught(
      t.cfn.send(
        new UpdateStackCommand({
          StackName: 'short-forms',
          UsePreviousTemplate: true,
          Parameters: [{ ParameterKey: 'Stage', ParameterValue: 'production' }],
        }),
      ),
    );
    expect(again.name).toBe('ValidationError');
    expect(again.message).toBe('No updates are to be performed.');

    const eventsBefore = (await events('short-forms')).length;
    const { Id } = await t.cfn.send(
      new CreateChangeSetCommand({
        StackName: 'short-forms',
        ChangeSetName: 'nothing',
        TemplateBody: SHORT_FORMS,
        Parameters: [{ ParameterKey: 'Stage', ParameterValue: 'production' }],
      }),
    );
    const failed = await caught(
      waitUntilChangeSetCreateComplete(
        { client: t.cfn, maxWaitTime: 10, minDelay: 0.1, maxDelay: 0.2 },
        { ChangeSetName: Id },
      ),
    );
    expect(failed.message).toContain('FAILED');
    const changeSet = await t.cfn.send(
      new DescribeChangeSetCommand({ ChangeSetName: 'nothing', StackName: 'short-forms' }),
    );
    expect(changeSet).toMatchObject({
      Status: 'FAILED',
      ExecutionStatus: 'UNAVAILABLE',
      StatusReason: NO_CHANGES,
      Changes: [],
    });
    expect((await stack('short-forms')).StackStatus).toBe('UPDATE_COMPLETE');
    expect((await events('short-forms')).length).toBe(eventsBefore);
  });

  test('a change set on a CREATE stack shows its changes, executes, and other change sets of the stack go away', async () => {
    const template = JSON.stringify({
      Parameters: { Value: { Type: 'String' } },
      Resources: {
        Param: {
          Type: 'AWS::SSM::Parameter',
          Properties: { Name: '/cs/value', Type: 'String', Value: { Ref: 'Value' } },
        },
      },
      Outputs: { Version: { Value: { 'Fn::GetAtt': ['Param', 'Value'] } } },
    });
    const { Id, StackId } = await t.cfn.send(
      new CreateChangeSetCommand({
        StackName: 'cs-stack',
        ChangeSetName: 'create',
        ChangeSetType: 'CREATE',
        TemplateBody: template,
        Parameters: [{ ParameterKey: 'Value', ParameterValue: 'one' }],
      }),
    );
    expect((await stack(StackId!)).StackStatus).toBe('REVIEW_IN_PROGRESS');
    await waitUntilChangeSetCreateComplete(
      { client: t.cfn, maxWaitTime: 10, minDelay: 0.1, maxDelay: 0.2 },
      { ChangeSetName: Id },
    );
    const created = await t.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    expect(created.Changes).toEqual([
      {
        Type: 'Resource',
        ResourceChange: {
          Action: 'Add',
          LogicalResourceId: 'Param',
          ResourceType: 'AWS::SSM::Parameter',
          Scope: [],
          Details: [],
        },
      },
    ]);
    await t.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    expect((await settled('cs-stack')).Outputs).toEqual([{ OutputKey: 'Version', OutputValue: 'one' }]);
    expect((await t.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).ExecutionStatus).toBe(
      'EXECUTE_COMPLETE',
    );

    const update = (name: string, value: string) =>
      t.cfn.send(
        new CreateChangeSetCommand({
          StackName: 'cs-stack',
          ChangeSetName: name,
          UsePreviousTemplate: true,
          Parameters: [{ ParameterKey: 'Value', ParameterValue: value }],
        }),
      );
    const first = await update('to-two', 'two');
    await update('to-three', 'three');
    await waitUntilChangeSetCreateComplete(
      { client: t.cfn, maxWaitTime: 10, minDelay: 0.1, maxDelay: 0.2 },
      { ChangeSetName: first.Id },
    );
    const modify = await t.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: first.Id }));
    expect(modify.Changes![0]!.ResourceChange).toMatchObject({
      Action: 'Modify',
      Replacement: 'False',
      PhysicalResourceId: '/cs/value',
    });
    expect(modify.Parameters).toEqual([{ ParameterKey: 'Value', ParameterValue: 'two' }]);
    await t.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'to-two', StackName: 'cs-stack' }));
    expect((await settled('cs-stack')).Outputs).toEqual([{ OutputKey: 'Version', OutputValue: 'two' }]);
    const { Summaries } = await t.cfn.send(new ListChangeSetsCommand({ StackName: 'cs-stack' }));
    expect(Summaries!.map((summary) => summary.ChangeSetName)).toEqual(['to-two']);
  });

  test('an unsupported resource type fails the stack with a reason naming it and rolls back; the stack can then only be deleted', async () => {
    const template = JSON.stringify({
      Resources: {
        Fine: {
          Type: 'AWS::SSM::Parameter',
          Properties: { Name: '/rollback/fine', Type: 'String', Value: 'v' },
        },
        Queue: { Type: 'AWS::SQS::Queue', DependsOn: 'Fine' },
      },
    });
    await t.cfn.send(new CreateStackCommand({ StackName: 'unsupported', TemplateBody: template }));
    const failed = await settled('unsupported');
    expect(failed.StackStatus).toBe('ROLLBACK_COMPLETE');
    const all = await events('unsupported');
    const queueFailure = all.find(
      (event) => event.LogicalResourceId === 'Queue' && event.ResourceStatus === 'CREATE_FAILED',
    );
    expect(queueFailure?.ResourceStatusReason).toMatch(
      /^Resource type AWS::SQS::Queue is not supported by the local AWS\. Supported types: .*AWS::SageMaker::Endpoint/,
    );
    expect(all.find((event) => event.ResourceStatus === 'ROLLBACK_IN_PROGRESS')?.ResourceStatusReason).toBe(
      'The following resource(s) failed to create: [Queue]. Rollback requested by user.',
    );
    expect(
      all.some((event) => event.LogicalResourceId === 'Fine' && event.ResourceStatus === 'DELETE_COMPLETE'),
    ).toBe(true);
    const gone = await caught(t.ssm.send(new GetParameterCommand({ Name: '/rollback/fine' })));
    expect(gone.name).toBe('ParameterNotFound');

    const update = await caught(
      t.cfn.send(new UpdateStackCommand({ StackName: 'unsupported', TemplateBody: template })),
    );
    expect(update.name).toBe('ValidationError');
    expect(update.message).toMatch(
      /^Stack:arn:aws:cloudformation:.*:stack\/unsupported\/.* is in ROLLBACK_COMPLETE state and can not be updated\.$/,
    );
    const changeSet = await caught(
      t.cfn.send(
        new CreateChangeSetCommand({
          StackName: 'unsupported',
          ChangeSetName: 'retry',
          TemplateBody: template,
        }),
      ),
    );
    expect(changeSet.name).toBe('ValidationError');
    expect(changeSet.message).toContain('is in ROLLBACK_COMPLETE state and can not be updated.');

    const { StackId } = await stack('unsupported');
    await t.cfn.send(new DeleteStackCommand({ StackName: 'unsupported' }));
    const deleted = await poll(
      () => stack(StackId!),
      (current) => current.StackStatus === 'DELETE_COMPLETE',
    );
    expect(deleted.DeletionTime).toBeInstanceOf(Date);
    expect((await caught(stack('unsupported'))).message).toBe('Stack with id unsupported does not exist');
    const { StackSummaries } = await t.cfn.send(
      new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }),
    );
    expect(StackSummaries!.map((summary) => summary.StackName)).toContain('unsupported');
  });

  test('capabilities, template validation and TemplateURL from the local S3', async () => {
    const role = JSON.stringify({
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'named', AssumeRolePolicyDocument: {} } },
      },
      Outputs: { Arn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
    });
    const refused = await caught(
      t.cfn.send(
        new CreateStackCommand({ StackName: 'iam', TemplateBody: role, Capabilities: ['CAPABILITY_IAM'] }),
      ),
    );
    expect(refused).toBeInstanceOf(InsufficientCapabilitiesException);
    expect(refused.message).toBe('Requires capabilities : [CAPABILITY_NAMED_IAM]');
    const validated = await t.cfn.send(new ValidateTemplateCommand({ TemplateBody: role }));
    expect(validated).toMatchObject({
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      CapabilitiesReason: 'The following resource(s) require capabilities: [AWS::IAM::Role]',
    });

    await t.s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
    await t.s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'iam/role.json', Body: role }));
    await t.cfn.send(
      new CreateStackCommand({
        StackName: 'iam',
        TemplateURL: `${t.aws.endpoint}/templates/iam/role.json`,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    expect((await settled('iam')).Outputs).toEqual([
      { OutputKey: 'Arn', OutputValue: 'arn:aws:iam::000000000000:role/named' },
    ]);

    const badUrl = await caught(
      t.cfn.send(
        new ValidateTemplateCommand({ TemplateURL: 'https://templates.s3.amazonaws.com/iam/missing.json' }),
      ),
    );
    expect(badUrl.name).toBe('ValidationError');
    expect(badUrl.message).toContain(
      'TemplateURL https://templates.s3.amazonaws.com/iam/missing.json could not be read from S3 (bucket templates, key iam/missing.json)',
    );
  });

  test('a client nobody here wrote: boto3 creates and updates a stack', async () => {
    const script = `
import json, sys, time, boto3
cfn = boto3.client("cloudformation", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
template = {"Parameters": {"V": {"Type": "String"}},
            "Resources": {"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/boto3/p", "Type": "String", "Value": {"Ref": "V"}}}},
            "Outputs": {"Out": {"Value": {"Fn::GetAtt": ["P", "Value"]}}}}
def wait(status):
    for _ in range(200):
        stack = cfn.describe_stacks(StackName="boto3-stack")["Stacks"][0]
        if not stack["StackStatus"].endswith("IN_PROGRESS"):
            assert stack["StackStatus"] == status, stack
            return stack
        time.sleep(0.05)
    raise SystemExit("timed out")
cfn.create_stack(StackName="boto3-stack", TemplateBody=json.dumps(template), Parameters=[{"ParameterKey": "V", "ParameterValue": "first"}])
created = wait("CREATE_COMPLETE")
cfn.update_stack(StackName="boto3-stack", UsePreviousTemplate=True, Parameters=[{"ParameterKey": "V", "ParameterValue": "second"}])
updated = wait("UPDATE_COMPLETE")
try:
    cfn.update_stack(StackName="boto3-stack", UsePreviousTemplate=True, Parameters=[{"ParameterKey": "V", "ParameterValue": "second"}])
    raise SystemExit("expected No updates")
except cfn.exceptions.ClientError as error:
    code = error.response["Error"]["Code"]
print(json.dumps({"created": created["Outputs"][0]["OutputValue"], "updated": updated["Outputs"][0]["OutputValue"], "code": code}))
`;
    // Asynchronously: the local AWS answers from this process's event loop.
    const { stdout } = await promisify(execFile)(findPython(), ['-c', script, t.aws.endpoint], {
      encoding: 'utf8',
    });
    expect(JSON.parse(stdout)).toEqual({ created: 'first', updated: 'second', code: 'ValidationError' });
  }, 30_000);

  test('stacks, change sets and events survive a restart of the local AWS', async () => {
    const before = await stack('cs-stack');
    const eventCount = (await events('cs-stack')).length;
    await t.stop({ keepState: true });
    t = await startTestAws({ dir: t.dir });
    const after = await stack('cs-stack');
    expect(after).toEqual(before);
    expect((await events('cs-stack')).length).toBe(eventCount);
    const { Summaries } = await t.cfn.send(new ListChangeSetsCommand({ StackName: 'cs-stack' }));
    expect(Summaries!.map((summary) => summary.ExecutionStatus)).toEqual(['EXECUTE_COMPLETE']);
  });
});
