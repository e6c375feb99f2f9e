import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { resolveRunConfig } from '../../src/run/config';
import { cachedEndpointTemplate, synthesizeEndpointForRun } from '../../src/run/endpoint-template';

jest.setTimeout(120_000);

const ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/abalone-models/7';

describe('the endpoint template cache', () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'endpoint-cache-'));
  afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));
  const config = resolveRunConfig({}, { env: {}, cwd: cacheDir });

  test('gives the template a fresh synthesis gives, synthesizing once for any package ARN', async () => {
    const first = await cachedEndpointTemplate({ config, modelPackageArn: ARN, cacheDir });
    expect(first.cached).toBe(false);
    expect(first.template).toEqual(await synthesizeEndpointForRun({ config, modelPackageArn: ARN }));
    const otherArn = ARN.replace(/7$/, '8');
    const second = await cachedEndpointTemplate({ config, modelPackageArn: otherArn, cacheDir });
    expect(second.cached).toBe(true);
    expect(JSON.stringify(second.template)).toContain(otherArn);
    expect(JSON.stringify(second.template)).not.toContain(ARN);
    expect(fs.readdirSync(cacheDir)).toHaveLength(1);
  });

  test('synthesizes again when an input changes (here the role)', async () => {
    const changed = resolveRunConfig(
      { roleArn: 'arn:aws:iam::123456789012:role/other' },
      { env: {}, cwd: cacheDir },
    );
    expect((await cachedEndpointTemplate({ config: changed, modelPackageArn: ARN, cacheDir })).cached).toBe(
      false,
    );
    expect(fs.readdirSync(cacheDir)).toHaveLength(2);
  });
});
