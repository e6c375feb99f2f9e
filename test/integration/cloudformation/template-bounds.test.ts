import {
  CloudFormationClient,
  CreateStackCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';

import { useLocalAws } from '../local/harness';

const t = useLocalAws();

/** Each laugh holds ten of the previous: expanding 9 levels would make a billion strings. */
function aliasBomb(): string {
  const lines = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Metadata:',
    '  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ];
  for (let level = 1; level <= 9; level++) {
    const previous = Array.from({ length: 10 }, () => `*a${level - 1}`).join(',');
    lines.push(`  a${level}: &a${level} [${previous}]`);
  }
  lines.push(
    'Resources:',
    '  P:',
    '    Type: AWS::SSM::Parameter',
    '    Properties: {Type: String, Value: x}',
  );
  return lines.join('\n');
}

const deepJson = (depth: number) =>
  `{"Resources":{"P":{"Type":"AWS::SSM::Parameter","Properties":{"Type":"String","Value":"x","Tags":${'['.repeat(depth)}${']'.repeat(depth)}}}}}`;

const deepYaml = (depth: number) =>
  `Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Value: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;

describe('template parsing is bounded', () => {
  it.each([
    ['a YAML alias bomb', aliasBomb(), /Template format error: YAML not accepted: .*alias/i],
    [
      'JSON nested 5,000 deep',
      deepJson(5000),
      /Template format error: the template nests deeper than 100 levels/,
    ],
    ['YAML nested 5,000 deep', deepYaml(5000), /Template format error/],
    ['JSON nested 25,000 deep', deepJson(25_000), /Template format error/],
  ])('refuses %s with a ValidationError, not a 500', async (_name, body, message) => {
    const cfn = t.client(CloudFormationClient, { maxAttempts: 1 });
    const started = Date.now();
    for (const command of [
      new ValidateTemplateCommand({ TemplateBody: body }),
      new CreateStackCommand({ StackName: 'bounded', TemplateBody: body }),
    ]) {
      const error = await cfn.send(command as ValidateTemplateCommand).then(
        () => undefined,
        (caught: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }) => caught,
      );
      expect(error?.name).toBe('ValidationError');
      expect(error?.$metadata?.httpStatusCode).toBe(400);
      expect(error?.message).toMatch(message);
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
