import { AwsError } from '../../../local/core/errors';
import { awsQueryProtocol, decodeQueryParameters } from '../../../local/protocols/aws-query';
import { parseXml } from '../../../local/protocols/xml';

const protocol = awsQueryProtocol({ xmlNamespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/' });
const ctx = { region: 'us-east-1', accountId: '000000000000', requestId: 'req-1' };

describe('awsQuery decoding', () => {
  it('rebuilds member lists (in index order), nested structures and entry maps', () => {
    const form = new URLSearchParams({
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
      'Attributes.entry.1.key': 'k',
      'Attributes.entry.1.value': 'v',
      'Nested.Deep.Value': 'x',
    });
    expect(decodeQueryParameters(form)).toEqual({
      StackName: 'endpoint',
      Parameters: [
        { ParameterKey: 'A', UsePreviousValue: 'true' },
        { ParameterKey: 'B', ParameterValue: '2' },
      ],
      Capabilities: ['CAPABILITY_IAM'],
      Tags: [{ Key: 'repo', Value: 'o/r' }],
      Attributes: { k: 'v' },
      Nested: { Deep: { Value: 'x' } },
    });
  });

  it('orders more than nine members numerically', () => {
    const form = new URLSearchParams();
    for (let i = 1; i <= 11; i++) form.append(`L.member.${i}`, String(i));
    expect(decodeQueryParameters(form).L).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
  });
});

describe('awsQuery encoding', () => {
  it('wraps results in <OpResponse><OpResult> with lists as <member> and dates in ISO 8601', () => {
    const created = new Date('2024-05-01T10:00:00.000Z');
    const response = protocol.encode(
      { operation: 'DescribeStacks', input: {} },
      {
        Stacks: [{ StackName: 's<&>', CreationTime: created, Outputs: [], Tags: [{ Key: 'k', Value: 'v' }] }],
      },
      ctx,
    );
    const xml = parseXml(String(response.body), ['member']);
    expect(xml.DescribeStacksResponse).toEqual({
      DescribeStacksResult: {
        Stacks: {
          member: [
            {
              StackName: 's<&>',
              CreationTime: '2024-05-01T10:00:00.000Z',
              Outputs: '',
              Tags: { member: [{ Key: 'k', Value: 'v' }] },
            },
          ],
        },
      },
      ResponseMetadata: { RequestId: 'req-1' },
    });
  });

  it('encodes errors as <ErrorResponse> with Sender/Receiver types', () => {
    const sender = protocol.encodeError(
      new AwsError('ValidationError', 'Stack with id x does not exist'),
      ctx,
    );
    expect(sender.status).toBe(400);
    expect(parseXml(String(sender.body)).ErrorResponse).toMatchObject({
      Error: { Type: 'Sender', Code: 'ValidationError', Message: 'Stack with id x does not exist' },
      RequestId: 'req-1',
    });
    const receiver = protocol.encodeError(new AwsError('InternalFailure', 'boom', { status: 500 }), ctx);
    expect(parseXml(String(receiver.body)).ErrorResponse).toMatchObject({ Error: { Type: 'Receiver' } });
  });
});
