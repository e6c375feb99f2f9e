import type { IncomingMessage } from 'node:http';

import { AwsError } from '../../../local/core/errors';
import { awsJsonProtocol } from '../../../local/protocols/aws-json';

const protocol = awsJsonProtocol();
const ctx = { region: 'us-east-1', accountId: '000000000000', requestId: 'req-1' };

function request(body: string, target = 'SageMaker.DescribePipeline') {
  return {
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: { 'x-amz-target': target },
    stream: undefined as unknown as IncomingMessage,
    body: async () => Buffer.from(body),
  };
}

describe('awsJson1_1', () => {
  it('decodes the operation from X-Amz-Target and the JSON body', async () => {
    expect(await protocol.decode(request('{"PipelineName":"p"}'))).toEqual({
      operation: 'DescribePipeline',
      input: { PipelineName: 'p' },
    });
    expect(await protocol.decode(request(''))).toEqual({ operation: 'DescribePipeline', input: {} });
  });

  it('refuses bodies that are not a JSON object with SerializationException', async () => {
    await expect(protocol.decode(request('{oops'))).rejects.toMatchObject({ code: 'SerializationException' });
    await expect(protocol.decode(request('[1]'))).rejects.toMatchObject({ code: 'SerializationException' });
  });

  it('encodes Dates as epoch seconds, as the SDK reads awsJson timestamps', () => {
    const response = protocol.encode(
      { operation: 'DescribePipeline', input: {} },
      { CreationTime: new Date('2024-01-01T00:00:00.500Z'), Nested: [{ At: new Date(0) }] },
      ctx,
    );
    expect(JSON.parse(String(response.body))).toEqual({ CreationTime: 1704067200.5, Nested: [{ At: 0 }] });
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.1');
  });

  it('encodes errors with __type, message, extra fields and the x-amzn-errortype header', () => {
    const error = new AwsError('ResourceNotFound', 'Pipeline p does not exist', {
      fields: { Resource: 'p' },
    });
    const response = protocol.encodeError(error, ctx);
    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-errortype']).toBe('ResourceNotFound');
    expect(JSON.parse(String(response.body))).toEqual({
      __type: 'ResourceNotFound',
      message: 'Pipeline p does not exist',
      Resource: 'p',
    });
  });
});
