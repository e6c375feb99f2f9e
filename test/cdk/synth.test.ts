import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { ENDPOINT_TEMPLATE_PATH, synthesizeEndpointTemplate } from '../../cdk-model-deploy/lib/synth';

const ROOT = join(__dirname, '..', '..');

describe('synthesis', () => {
  test('npm run synth writes both apps’ templates offline in under 60 s', async () => {
    const started = Date.now();
    // No credentials and no region: synthesis must not look anything up.
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
      AWS_REGION: '',
    };
    await promisify(execFile)('npm', ['run', 'synth'], { cwd: ROOT, env, timeout: 90_000 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(60_000);

    const written = [
      ENDPOINT_TEMPLATE_PATH,
      ...['MlopsFoundation', 'MlopsCodePipeline', 'MlopsGitHubOidc'].map((stack) =>
        join(ROOT, 'infra', 'cdk.out', `${stack}.template.json`),
      ),
    ];
    for (const file of written) expect(statSync(file).mtimeMs).toBeGreaterThanOrEqual(started - 1000);
    const endpoint = JSON.parse(readFileSync(ENDPOINT_TEMPLATE_PATH, 'utf8'));
    expect(endpoint.Resources.Endpoint.Type).toBe('AWS::SageMaker::Endpoint');
    expect(endpoint.Parameters.ModelNameParameter.Type).toBe('AWS::SSM::Parameter::Value<String>');
  }, 120_000);

  test('synthesizeEndpointTemplate returns the template in-process and leaves no temporary assembly', () => {
    // A private TMPDIR, so other processes' temporary directories cannot disturb the count.
    const privateTmp = mkdtempSync(join(tmpdir(), 'synth-tmp-'));
    const savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      const template = synthesizeEndpointTemplate({
        modelSource: { kind: 'modelName', modelName: 'my-model' },
        stageName: 'production',
      });
      expect(template.Parameters.ModelName?.Default).toBe('my-model');
      expect(template.Parameters.StageName?.Default).toBe('production');
      expect(Object.keys(template.Outputs)).toEqual(['EndpointName', 'EndpointArn']);
      expect(readdirSync(privateTmp)).toEqual([]);
    } finally {
      if (savedTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmpdir;
      rmSync(privateTmp, { recursive: true, force: true });
    }
  });

  test('synthesizeEndpointTemplate keeps the cloud assembly in a given outdir', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'endpoint-assembly-'));
    try {
      synthesizeEndpointTemplate({}, { outdir });
      expect(
        JSON.parse(readFileSync(join(outdir, 'EndpointStack.template.json'), 'utf8')).Resources.Endpoint,
      ).toBeDefined();
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
