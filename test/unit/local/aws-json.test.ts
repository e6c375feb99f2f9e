import { AwsError } from '../../../local/core/errors';
import { awsJsonProtocol } from '../../../local/protocols/aws-json';
import { loadModel } from '../../../local/protocols/model/shapes';
import { wireRequest } from './wire-request';

const protocol = awsJsonProtocol(loadModel('sagemaker'));
const ctx = { region: 'us-east-1', accountId: '000000000000', requestId: 'req-1' };

const request = (body: string, target = 'SageMaker.DescribePipeline') =>
  wireRequest('POST', '/', { 'x-amz-target': target }, body);

describe('awsJson1_1 from the SageMaker model', () => {
  it('decodes the operation from X-Amz-Target and types the body by the input shape', async () => {
    const call = await protocol.decode(
      request(
        '{"PipelineName":"p","CreatedAfter":1704067200,"MaxResults":50,"Unknown":1}',
        'SageMaker.ListPipelineExecutions',
      ),
    );
    expect(call).toEqual({
      operation: 'ListPipelineExecutions',
      input: { PipelineName: 'p', CreatedAfter: new Date('2024-01-01T00:00:00Z'), MaxResults: 50 },
    });
  });

  it('refuses bodies that are not a JSON object or have the wrong types with SerializationException', async () => {
    await expect(protocol.decode(request('{oops'))).rejects.toMatchObject({ code: 'SerializationException' });
    await expect(protocol.decode(request('[1]'))).rejects.toMatchObject({ code: 'SerializationException' });
    await expect(protocol.decode(request('{"PipelineName":5}'))).rejects.toMatchObject({
      code: 'SerializationException',
      message: expect.stringContaining('PipelineName'),
    });
  });

  it("refuses inputs that break the model's constraints in AWS's wording", async () => {
    const long = 'a'.repeat(2049);
    await expect(protocol.decode(request(`{"PipelineName":"${long}"}`))).rejects.toMatchObject({
      code: 'ValidationException',
      message: expect.stringContaining(
        `validation errors detected: Value '${long}' at 'pipelineName' failed to satisfy constraint: Member must have length less than or equal to 2048`,
      ),
    });
    await expect(protocol.decode(request('{}'))).rejects.toMatchObject({
      message:
        "1 validation error detected: Value null at 'pipelineName' failed to satisfy constraint: Member must not be null",
    });
    const list = await protocol
      .decode(request('{"MaxResults":101,"SortBy":"Size"}', 'SageMaker.ListPipelines'))
      .catch((e: unknown) => e);
    expect(list).toMatchObject({
      message:
        "2 validation errors detected: Value 'Size' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [Name, CreationTime]; " +
        "Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    });
  });

  it('answers an operation the model does not have with UnknownOperationException', async () => {
    await expect(protocol.decode(request('{}', 'SageMaker.DoSomething'))).rejects.toMatchObject({
      code: 'UnknownOperationException',
    });
  });

  it('encodes the output shape only: Dates as epoch seconds, unmodelled members dropped', () => {
    const response = protocol.encode(
      { operation: 'DescribePipeline', input: {} },
      { PipelineName: 'p', CreationTime: new Date('2024-01-01T00:00:00.500Z'), Internal: 'x' },
      ctx,
    );
    expect(JSON.parse(String(response.body))).toEqual({ PipelineName: 'p', CreationTime: 1704067200.5 });
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.1');
  });

  it('encodes errors with __type, message and the status the model gives the code', () => {
    const notFound = new AwsError('ResourceNotFound', 'Pipeline p does not exist', { status: 404 });
    const response = protocol.encodeError(notFound, ctx);
    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-errortype']).toBe('ResourceNotFound');
    expect(JSON.parse(String(response.body))).toEqual({
      __type: 'ResourceNotFound',
      message: 'Pipeline p does not exist',
    });
    expect(protocol.encodeError(new AwsError('Boom', 'x', { status: 503 }), ctx).status).toBe(503);
  });
});
