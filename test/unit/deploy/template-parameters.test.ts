import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { readTemplate, type TemplateFile } from '../../../src/deploy/template';
import { parseParameterValues, planParameters } from '../../../src/deploy/template-parameters';

let dir: string;
let template: TemplateFile;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'template-parameters-'));
  const file = path.join(dir, 'stack.yaml');
  fs.writeFileSync(
    file,
    [
      'Parameters:',
      '  BootstrapVersion:',
      '    Type: AWS::SSM::Parameter::Value<String>',
      '    Default: /cdk-bootstrap/hnb659fds/version',
      '  ModelPackageArn:',
      '    Type: String',
      '  Subnets:',
      '    Type: CommaDelimitedList',
      '    Default: ""',
      'Resources:',
      '  Endpoint:',
      '    Type: AWS::SageMaker::Endpoint',
      '    Properties:',
      '      EndpointConfigName: !Ref ModelPackageArn',
    ].join('\n'),
  );
  template = readTemplate(file);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('reads declared parameters and endpoint resources from a YAML template with short-form tags', () => {
  expect([...template.parameters.keys()]).toEqual(['BootstrapVersion', 'ModelPackageArn', 'Subnets']);
  expect(template.parameters.get('ModelPackageArn')).toEqual({ type: 'String', hasDefault: false });
  expect(template.endpointResources).toEqual(['Endpoint']);
});

test('values with commas and spaces stay whole; lists become comma-delimited strings', () => {
  expect(
    parseParameterValues(
      'Description: "a, b and c"\nSubnets: [subnet-1, subnet-2]\nCount: 2\nOn: true',
      'parameters',
    ),
  ).toEqual({
    Description: 'a, b and c',
    Subnets: 'subnet-1,subnet-2',
    Count: '2',
    On: 'true',
  });
  expect(parseParameterValues('{"A": "x, y"}', 'parameters')).toEqual({ A: 'x, y' });
});

test("CloudFormation's own parameter list format is accepted", () => {
  expect(parseParameterValues('[{"ParameterKey": "A", "ParameterValue": "1,2"}]', 'params.json')).toEqual({
    A: '1,2',
  });
  expect(() => parseParameterValues('[{"Key": "A"}]', 'params.json')).toThrow(
    'params.json[0] must have a ParameterKey and a ParameterValue',
  );
});

test('nested values and scalars are rejected with the source and name', () => {
  expect(() => parseParameterValues('A: {b: 1}', 'parameters')).toThrow(
    'parameters: A must be a string, number, boolean or a list of them; got {"b":1}',
  );
  expect(() => parseParameterValues('just text', 'parameters')).toThrow(
    'parameters must be a map of parameter names to values',
  );
});

test('on create, defaults apply (BootstrapVersion resolves from SSM) and a parameter without default must be given', () => {
  expect(planParameters(template, { ModelPackageArn: 'arn:1' }, false)).toEqual([
    { ParameterKey: 'ModelPackageArn', ParameterValue: 'arn:1' },
  ]);
  expect(() => planParameters(template, {}, false)).toThrow(
    /parameter ModelPackageArn of .*stack.yaml has no default/,
  );
});

test('on update, a parameter without default and without value keeps its previous value', () => {
  expect(planParameters(template, {}, true)).toEqual([
    { ParameterKey: 'ModelPackageArn', UsePreviousValue: true },
  ]);
});

test('a parameter the template does not declare is rejected, listing the declared ones', () => {
  expect(() => planParameters(template, { ModelPackage: 'x' }, true)).toThrow(
    /parameter ModelPackage is not declared by .*; it declares BootstrapVersion, ModelPackageArn, Subnets/,
  );
});
