import { AwsError } from '../../../local/core/errors';
import { loadModel } from '../../../local/protocols/model/shapes';
import { restJsonProtocol } from '../../../local/protocols/rest-json';
import { wireRequest } from './wire-request';

const lambda = restJsonProtocol(loadModel('lambda'));
const runtime = restJsonProtocol(loadModel('sagemaker-runtime'));
const ctx = { region: 'us-east-1', accountId: '000000000000', requestId: 'req-1' };

describe('restJson1 from the Lambda and SageMaker Runtime models', () => {
  it('reads URI labels, query strings, headers and the raw payload by their bindings', async () => {
    const call = await lambda.decode(
      wireRequest(
        'POST',
        '/2015-03-31/functions/my-fn/invocations?Qualifier=%24LATEST',
        { 'x-amz-invocation-type': 'Event', 'x-amz-log-type': 'Tail' },
        '{"a":1}',
      ),
    );
    expect(call).toEqual({
      operation: 'Invoke',
      input: {
        FunctionName: 'my-fn',
        Qualifier: '$LATEST',
        InvocationType: 'Event',
        LogType: 'Tail',
        Payload: Buffer.from('{"a":1}'),
      },
    });
  });

  it('types query parameters and routes the most specific template first', async () => {
    const list = await lambda.decode(wireRequest('GET', '/2015-03-31/functions/?MaxItems=5&Marker=m'));
    expect(list).toEqual({ operation: 'ListFunctions', input: { MaxItems: 5, Marker: 'm' } });
    const config = await lambda.decode(wireRequest('GET', '/2015-03-31/functions/f/configuration'));
    expect(config.operation).toBe('GetFunctionConfiguration');
    await expect(
      lambda.decode(wireRequest('GET', '/2015-03-31/functions/?MaxItems=many')),
    ).rejects.toMatchObject({ code: 'SerializationException', message: expect.stringContaining('MaxItems') });
  });

  it('checks constraints of body, label and query members', async () => {
    const body = JSON.stringify({
      FunctionName: 'f',
      Role: 'r',
      Timeout: 0,
      MemorySize: 127,
      Runtime: 'cobol',
    });
    const error = await lambda
      .decode(wireRequest('POST', '/2015-03-31/functions', {}, body))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).code).toBe('ValidationException');
    expect((error as AwsError).message).toContain(
      "Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect((error as AwsError).message).toContain("Value '127' at 'memorySize'");
    expect((error as AwsError).message).toContain("Value 'cobol' at 'runtime'");
  });

  it('writes header and status members outside the body and the payload as the raw body', () => {
    const response = lambda.encode(
      { operation: 'Invoke', input: {} },
      { StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST', Payload: Buffer.from('{}') },
      ctx,
    );
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'x-amz-function-error': 'Unhandled',
      'x-amz-executed-version': '$LATEST',
    });
    expect(response.body).toEqual(Buffer.from('{}'));
    const invoked = runtime.encode(
      { operation: 'InvokeEndpoint', input: {} },
      { Body: Buffer.from('1.5'), ContentType: 'text/csv', InvokedProductionVariant: 'AllTraffic' },
      ctx,
    );
    expect(invoked.headers).toMatchObject({
      'content-type': 'text/csv',
      'x-amzn-invoked-production-variant': 'AllTraffic',
    });
  });

  it('answers with the model status: CreateFunction 201, errors by their httpStatusCode', () => {
    const created = lambda.encode({ operation: 'CreateFunction', input: {} }, { FunctionName: 'f' }, ctx);
    expect(created.status).toBe(201);
    expect(JSON.parse(String(created.body))).toEqual({ FunctionName: 'f' });
    const missing = lambda.encodeError(
      new AwsError('ResourceNotFoundException', 'Function not found: f'),
      ctx,
    );
    expect(missing.status).toBe(404);
    expect(missing.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
  });
});
