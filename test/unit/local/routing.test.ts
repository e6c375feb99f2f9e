import { s3Operation, s3Target } from '../../../local/protocols/rest-xml-s3';
import { createRouter } from '../../../local/protocols/router';
import { wireRequest as request } from './wire-request';

const router = createRouter([
  { name: 'sagemaker', model: 'sagemaker' },
  { name: 'ssm', model: 'ssm' },
  { name: 'lambda', model: 'lambda' },
  { name: 'runtime.sagemaker', model: 'sagemaker-runtime' },
  { name: 'cloudformation' },
  { name: 's3' },
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

describe('S3 operations from method, path and sub-resource', () => {
  it.each([
    ['GET', '/', {}, 'ListBuckets'],
    ['PUT', '/b', {}, 'CreateBucket'],
    ['GET', '/b?list-type=2&prefix=a', {}, 'ListObjectsV2'],
    ['GET', '/b?prefix=a', {}, 'ListObjects'],
    ['POST', '/b?delete', {}, 'DeleteObjects'],
    ['PUT', '/b/k?x-id=PutObject', {}, 'PutObject'],
    ['PUT', '/b/k', { 'x-amz-copy-source': '/b/src' }, 'CopyObject'],
    ['POST', '/b/k?uploads', {}, 'CreateMultipartUpload'],
    ['PUT', '/b/k?partNumber=2&uploadId=u', {}, 'UploadPart'],
    ['POST', '/b/k?uploadId=u', {}, 'CompleteMultipartUpload'],
    ['DELETE', '/b/k?uploadId=u', {}, 'AbortMultipartUpload'],
    ['GET', '/b?tagging', {}, 'GetBucketTagging'],
    ['PUT', '/b/k?object-lock', {}, 'PutObjectObjectLock'],
  ])('%s %s', (method, target, headers, operation) => {
    const wire = request(method, target, headers);
    expect(s3Operation(wire, s3Target(wire.path, undefined))).toBe(operation);
  });

  it('decodes keys and reads virtual-hosted buckets on localhost', () => {
    expect(s3Target('/b/dir/a%20b%2Bc.txt', '127.0.0.1:4566')).toEqual({ bucket: 'b', key: 'dir/a b+c.txt' });
    expect(s3Target('/dir/k', 'my-bucket.localhost:4566')).toEqual({ bucket: 'my-bucket', key: 'dir/k' });
    expect(s3Target('/', undefined)).toEqual({});
  });
});
