import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { useLocalAws } from './harness';

const harness = useLocalAws();

async function setFaults(config: unknown): Promise<Response> {
  return fetch(`${harness.aws().endpoint}/_mlops/faults`, { method: 'POST', body: JSON.stringify(config) });
}

afterEach(async () => {
  await setFaults({});
});

describe('fault injection', () => {
  beforeAll(async () => {
    await harness
      .client(SSMClient)
      .send(new PutParameterCommand({ Name: '/faults/p', Value: 'v', Type: 'String' }));
  });

  it('throttles every call: a client without retries sees ThrottlingException (and S3 sees SlowDown)', async () => {
    expect((await setFaults({ throttleRate: 1 })).status).toBe(200);
    const ssm = harness.client(SSMClient, { maxAttempts: 1 });
    await expect(ssm.send(new GetParameterCommand({ Name: '/faults/p' }))).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    const s3 = harness.client(S3Client, { maxAttempts: 1 });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'any-bucket', Key: 'k' }))).rejects.toMatchObject({
      name: 'SlowDown',
    });
  });

  it('is survived by the default client (adaptive retries) at a 30% throttle rate', async () => {
    // Seed 1 throttles draws 2 and 6: the second call needs two attempts, as does the fifth.
    await setFaults({ throttleRate: 0.3, services: ['ssm'], seed: 1 });
    const ssm = harness.client(SSMClient);
    const results = [];
    for (let call = 0; call < 5; call++)
      results.push(await ssm.send(new GetParameterCommand({ Name: '/faults/p' })));
    expect(results.map((result) => result.Parameter?.Value)).toEqual(Array(5).fill('v'));
    expect(results.map((result) => result.$metadata.attempts)).toEqual([1, 2, 1, 1, 2]);
  }, 20_000);

  it('answers internal failures with 500 and adds latency', async () => {
    await setFaults({ errorRate: 1 });
    const ssm = harness.client(SSMClient, { maxAttempts: 1 });
    await expect(ssm.send(new GetParameterCommand({ Name: '/faults/p' }))).rejects.toMatchObject({
      name: 'InternalFailure',
      $metadata: { httpStatusCode: 500 },
    });
    await setFaults({ latencyMs: 150 });
    const started = Date.now();
    await ssm.send(new GetParameterCommand({ Name: '/faults/p' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('limits faults to the listed services', async () => {
    await setFaults({ throttleRate: 1, services: ['sagemaker'] });
    const ssm = harness.client(SSMClient, { maxAttempts: 1 });
    expect((await ssm.send(new GetParameterCommand({ Name: '/faults/p' }))).Parameter?.Value).toBe('v');
  });

  it('refuses bad settings with a message naming the field', async () => {
    const response = await setFaults({ throttleRate: 2 });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('throttleRate must be a number from 0 to 1');
  });
});
