import * as fs from 'node:fs';
import * as path from 'node:path';

import { GetParameterCommand } from '@aws-sdk/client-ssm';

import { AWS_CLIS, type AwsCli, runAwsCli } from '../local/aws-cli';
import { startTestAws, type TestAws } from '../endpoints/local-aws';

let t: TestAws;

beforeAll(async () => {
  t = await startTestAws();
});

afterAll(async () => {
  await t?.stop();
});

function template(parameterName: string): string {
  return [
    'Parameters:',
    '  Value: {Type: String, Default: first}',
    'Resources:',
    '  Param:',
    '    Type: AWS::SSM::Parameter',
    `    Properties: {Name: ${parameterName}, Type: String, Value: !Ref Value}`,
    '',
  ].join('\n');
}

/** What `aws cloudformation deploy` create → no-op → update → delete-stack gives with one CLI. */
async function deployCycle(cli: AwsCli, stackName: string) {
  const file = path.join(t.dir, `${stackName}.yaml`);
  fs.writeFileSync(file, template(`/cli/${stackName}`));
  const aws = (...args: string[]) => runAwsCli(cli, t.aws.endpoint, args);
  const deploy = (...extra: string[]) =>
    aws('cloudformation', 'deploy', '--stack-name', stackName, '--template-file', file, ...extra);
  const parameter = async () =>
    (await t.ssm.send(new GetParameterCommand({ Name: `/cli/${stackName}` }))).Parameter?.Value;

  const created = await deploy();
  const createdValue = await parameter();
  // v1 fails an empty change set by default, v2 succeeds by default: each CLI's flags say the other way.
  const failFlag = cli.endpointFlag ? ['--fail-on-empty-changeset'] : [];
  const passFlag = cli.endpointFlag ? [] : ['--no-fail-on-empty-changeset'];
  const noOpFailing = await deploy(...failFlag);
  const noOpPassing = await deploy(...passFlag);
  const updated = await deploy('--parameter-overrides', 'Value=second');
  const updatedValue = await parameter();
  const summary = await aws('cloudformation', 'get-template-summary', '--stack-name', stackName);
  const deleted = await aws('cloudformation', 'delete-stack', '--stack-name', stackName);
  const waited = await aws('cloudformation', 'wait', 'stack-delete-complete', '--stack-name', stackName);
  return { created, createdValue, noOpFailing, noOpPassing, updated, updatedValue, summary, deleted, waited };
}

describe('aws cloudformation deploy with both AWS CLIs', () => {
  test('create → no-op ("No changes to deploy") → update → delete-stack, v1 and v2 side by side', async () => {
    const results = await Promise.all(
      AWS_CLIS.map((cli, index) => deployCycle(cli, `cli-deploy-${index + 1}`)),
    );
    for (const [index, result] of results.entries()) {
      const which = AWS_CLIS[index]!.name;
      expect({ which, code: result.created.code, stderr: result.created.stderr }).toEqual({
        which,
        code: 0,
        stderr: '',
      });
      expect(result.created.stdout).toContain(`Successfully created/updated stack - cli-deploy-${index + 1}`);
      expect(result.createdValue).toBe('first');
      expect(result.noOpFailing.code).toBe(255);
      expect(result.noOpFailing.stdout + result.noOpFailing.stderr).toContain(
        `No changes to deploy. Stack cli-deploy-${index + 1} is up to date`,
      );
      expect(result.noOpPassing.code).toBe(0);
      expect(result.noOpPassing.stdout).toContain('No changes to deploy');
      expect({ which, code: result.updated.code, stderr: result.updated.stderr }).toEqual({
        which,
        code: 0,
        stderr: '',
      });
      expect(result.updatedValue).toBe('second');
      expect(JSON.parse(result.summary.stdout)).toMatchObject({
        Parameters: [
          { ParameterKey: 'Value', DefaultValue: 'first', ParameterType: 'String', NoEcho: false },
        ],
        ResourceTypes: ['AWS::SSM::Parameter'],
        Version: '2010-09-09',
      });
      expect([result.deleted.code, result.waited.code]).toEqual([0, 0]);
    }
  }, 240_000);
});
