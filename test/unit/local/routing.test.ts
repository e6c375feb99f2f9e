import { createRouter } from '../../../local/protocols/router';
import { wireRequest as request } from './wire-request';

const router = createRouter([
  { name: 'sagemaker', model: 'sagemaker' },
  { name: 'ssm', model: 'ssm' },
  { name: 'lambda', model: 'lambda' },
  { name: 'runtime.sagemaker', model: 'sagemaker-runtime' },
  { name: 'cloudformation', model: 'cloudformation' },
  { name: 's3', model: 's3' },
]);

const signedAs = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`,
});

describe('routing a request to its service', () => {
  it.each([
    [request('POST', '/', { 'x-amz-target': 'SageMaker.ListPipelines' }), 'sagemaker'],
    [request('POST', '/', { 'x-amz-target': 'AmazonSSM.GetParameter' }), 'ssm'],
    [request('POST', '/', signedAs('cloudformation')), 'cloudformation'],
    [request('POST', '/', { 'content-type': 'application/x-www-form-urlencoded' }), 'cloudformation'],
    [request('POST', '/endpoints/e/invocations', signedAs('sagemaker')), 'runtime.sagemaker'],
    [request('POST', '/2015-03-31/functions/f/invocations'), 'lambda'],
    [request('GET', '/bucket/key?X-Amz-Credential=test%2F20240101%2Fus-east-1%2Fs3%2Faws4_request'), 's3'],
    [request('GET', '/bucket/key'), 's3'],
    [request('PUT', '/2015-03-31/functions/f', signedAs('s3')), 's3'],
    [request('POST', '/', { 'x-amz-target': 'AWSEvents.PutRule' }), 'AWSEvents'],
  ])('%#: → %s', (wire, service) => {
    expect(router.route(wire).service).toBe(service);
  });

  it('names a service that does not run without a codec for it', () => {
    expect(
      router.route(request('POST', '/', { 'x-amz-target': 'AWSEvents.PutRule' })).protocol,
    ).toBeUndefined();
  });
});
