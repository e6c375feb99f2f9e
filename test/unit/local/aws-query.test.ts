import { AwsError } from '../../../local/core/errors';
import { awsQueryProtocol } from '../../../local/protocols/aws-query';
import { loadModel } from '../../../local/protocols/model/shapes';
import { parseXmlDocument, type XmlNode } from '../../../local/protocols/xml';
import { wireRequest } from './wire-request';

const protocol = awsQueryProtocol(loadModel('cloudformation'));
const ctx = { region: 'us-east-1', accountId: '000000000000', requestId: 'req-1' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const decode = (form: Record<string, string>) =>
  protocol.decode(wireRequest('POST', '/', FORM, new URLSearchParams(form).toString()));

/** An XML answer as nested objects (every element a list, as the codec's parser reads them). */
const answer = (body: unknown, root: string): XmlNode => parseXmlDocument(String(body), root);

describe('awsQuery decoding by the input shape', () => {
  it('types members, rebuilds member lists in index order and nested structures', async () => {
    const call = await decode({
      Action: 'CreateStack',
      Version: '2010-05-15',
      StackName: 'endpoint',
      'Parameters.member.2.ParameterKey': 'B',
      'Parameters.member.2.ParameterValue': '2',
      'Parameters.member.1.ParameterKey': 'A',
      'Parameters.member.1.UsePreviousValue': 'true',
      'Capabilities.member.1': 'CAPABILITY_IAM',
      'Tags.member.1.Key': 'repo',
      'Tags.member.1.Value': 'o/r',
      TimeoutInMinutes: '5',
      'RollbackConfiguration.MonitoringTimeInMinutes': '3',
      Unmodelled: 'ignored',
    });
    expect(call).toEqual({
      operation: 'CreateStack',
      input: {
        StackName: 'endpoint',
        Parameters: [
          { ParameterKey: 'A', UsePreviousValue: true },
          { ParameterKey: 'B', ParameterValue: '2' },
        ],
        Capabilities: ['CAPABILITY_IAM'],
        Tags: [{ Key: 'repo', Value: 'o/r' }],
        TimeoutInMinutes: 5,
        RollbackConfiguration: { MonitoringTimeInMinutes: 3 },
      },
    });
  });

  it('orders more than nine members numerically and reads an empty list', async () => {
    const form: Record<string, string> = { Action: 'ListStacks', 'StackStatusFilter.member.10': 'X' };
    for (let i = 1; i <= 9; i++) form[`StackStatusFilter.member.${i}`] = 'CREATE_COMPLETE';
    form['StackStatusFilter.member.10'] = 'DELETE_COMPLETE';
    const { input } = await decode(form);
    expect((input.StackStatusFilter as string[]).at(-1)).toBe('DELETE_COMPLETE');
    expect((await decode({ Action: 'CreateStack', StackName: 's', Capabilities: '' })).input).toEqual({
      StackName: 's',
      Capabilities: [],
    });
  });

  it("refuses what the model refuses, in AWS's words", async () => {
    await expect(
      decode({ Action: 'CreateStack', StackName: 's', TimeoutInMinutes: '0' }),
    ).rejects.toMatchObject({
      code: 'ValidationError',
      message:
        "1 validation error detected: Value '0' at 'timeoutInMinutes' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
    await expect(decode({ Action: 'CreateStack' })).rejects.toMatchObject({
      code: 'ValidationError',
      message: expect.stringContaining(
        "Value null at 'stackName' failed to satisfy constraint: Member must not be null",
      ),
    });
    await expect(
      decode({ Action: 'CreateStack', StackName: 's', TimeoutInMinutes: 'ten' }),
    ).rejects.toMatchObject({
      code: 'ValidationError',
      message: expect.stringContaining('TimeoutInMinutes'),
    });
    await expect(decode({ Action: 'CreateStackSet' })).rejects.toMatchObject({ code: 'InvalidAction' });
    await expect(decode({ Version: '2010-05-15' })).rejects.toMatchObject({ code: 'MissingAction' });
  });
});

describe('awsQuery encoding by the output shape', () => {
  it('wraps results in <OpResponse><OpResult> with lists as <member>, dates in ISO 8601, unmodelled members dropped', () => {
    const created = new Date('2024-05-01T10:00:00.000Z');
    const response = protocol.encode(
      { operation: 'DescribeStacks', input: {} },
      {
        Stacks: [
          {
            StackName: 's<&>',
            CreationTime: created,
            StackStatus: 'CREATE_COMPLETE',
            Outputs: [],
            Tags: [{ Key: 'k', Value: 'v' }],
            internalField: 'x',
          },
        ],
      },
      ctx,
    );
    expect(answer(response.body, 'DescribeStacksResponse')).toEqual({
      DescribeStacksResult: [
        {
          Stacks: [
            {
              member: [
                {
                  StackName: ['s<&>'],
                  CreationTime: ['2024-05-01T10:00:00.000Z'],
                  StackStatus: ['CREATE_COMPLETE'],
                  Outputs: [''],
                  Tags: [{ member: [{ Key: ['k'], Value: ['v'] }] }],
                },
              ],
            },
          ],
        },
      ],
      ResponseMetadata: [{ RequestId: ['req-1'] }],
    });
  });

  it('always carries the result element of an operation with an output, even an empty one', () => {
    for (const operation of ['ExecuteChangeSet', 'DeleteChangeSet']) {
      const body = String(protocol.encode({ operation, input: {} }, {}, ctx).body);
      expect(body).toContain(`<${operation}Result></${operation}Result>`);
    }
    const deleted = String(protocol.encode({ operation: 'DeleteStack', input: {} }, {}, ctx).body);
    expect(deleted).not.toContain('DeleteStackResult');
  });

  it('encodes errors as <ErrorResponse> with Sender/Receiver types and the modelled status', () => {
    const sender = protocol.encodeError(
      new AwsError('ValidationError', 'Stack with id x does not exist'),
      ctx,
    );
    expect(sender.status).toBe(400);
    expect(answer(sender.body, 'ErrorResponse')).toMatchObject({
      Error: [{ Type: ['Sender'], Code: ['ValidationError'], Message: ['Stack with id x does not exist'] }],
      RequestId: ['req-1'],
    });
    const receiver = protocol.encodeError(new AwsError('InternalFailure', 'boom', { status: 500 }), ctx);
    expect(answer(receiver.body, 'ErrorResponse')).toMatchObject({ Error: [{ Type: ['Receiver'] }] });
    expect(protocol.encodeError(new AwsError('ChangeSetNotFound', 'gone'), ctx).status).toBe(404);
  });
});
