import * as fs from 'node:fs';
import * as path from 'node:path';

import { AwsError } from '../../../local/core/errors';
import type { ResourceState } from '../../../local/services/cloudformation/model';
import { planChanges } from '../../../local/services/cloudformation/plan';
import { prepareTemplate, type PrepareOptions } from '../../../local/services/cloudformation/prepare';
import { resourceContext } from '../../../local/services/cloudformation/resource-context';
import { resourceHandlers } from '../../../local/services/cloudformation/resources';
import { resolveValue } from '../../../local/services/cloudformation/template/intrinsics';
import { dependencyOrder } from '../../../local/services/cloudformation/template/references';
import { loadTemplate } from '../../../local/services/cloudformation/template/template';
import type { ResourceServices } from '../../../local/services/cloudformation/resources/types';

const FIXTURES = path.resolve(__dirname, '../../fixtures/templates');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const handler = resourceHandlers({} as ResourceServices);

function options(templateBody: string, extra: Partial<PrepareOptions> = {}): PrepareOptions {
  return {
    templateBody,
    parameters: [],
    capabilities: [],
    stack: {
      region: 'us-east-1',
      accountId: '000000000000',
      stackName: 'demo',
      stackId: 'arn:stack/demo/1',
      notificationArns: [],
    },
    readSsmParameter: async (name) =>
      ({ '/cdk-bootstrap/hnb659fds/version': '30', '/old/version': '3' })[name],
    ...extra,
  };
}

/** Resolves every resource's properties with the given existing resources (physical ids + attributes). */
function resolvedProperties(
  prepared: Awaited<ReturnType<typeof prepareTemplate>>,
  states: Record<string, ResourceState>,
) {
  const ctx = resourceContext(prepared, {
    state: (id) => states[id],
    pending: () => false,
    handler,
    importValue: () => 'imported',
  });
  return Object.fromEntries(
    prepared.order.map((id) => [id, resolveValue(prepared.template.Resources[id]!.Properties ?? {}, ctx)]),
  );
}

const state = (
  id: string,
  type: string,
  physicalId: string,
  attributes: Record<string, unknown> = {},
): ResourceState => ({
  LogicalResourceId: id,
  ResourceType: type,
  PhysicalResourceId: physicalId,
  ResourceStatus: 'CREATE_COMPLETE',
  Timestamp: new Date(0).toISOString(),
  properties: {},
  attributes,
});

async function rejection(promise: Promise<unknown>): Promise<AwsError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AwsError)) throw new Error(`expected an AwsError, got ${String(error)}`);
  return error;
}

describe('template engine', () => {
  test('YAML short forms, list parameters, mappings, conditions and pseudo parameters resolve like CloudFormation', async () => {
    const prepared = await prepareTemplate(options(fixture('short-forms.template.yaml')));
    expect(prepared.conditions).toEqual({ IsProduction: false, IsStaging: true, Always: true });
    expect(prepared.order).toEqual(['Bucket', 'Summary']);
    expect(prepared.values.Ports).toEqual(['80', '443']);
    const properties = resolvedProperties(prepared, {
      Bucket: state('Bucket', 'AWS::S3::Bucket', 'demo-bucket-x', { Arn: 'arn:aws:s3:::demo-bucket-x' }),
    });
    expect(properties.Summary).toEqual({
      Name: '/shortforms/demo/summary',
      Type: 'String',
      Value:
        'staging|443|gamma|7|arn:aws:s3:::demo-bucket-x|us-east-1/000000000000/${Literal}|first|aGk=|us-east-1a|always|amazonaws.com',
    });
  });

  test('production parameters switch the conditions and add the conditional resource', async () => {
    const prepared = await prepareTemplate(
      options(fixture('short-forms.template.yaml'), {
        parameters: [{ ParameterKey: 'Stage', ParameterValue: 'production' }],
      }),
    );
    expect(prepared.order).toEqual(['Bucket', 'ProductionOnly', 'Summary']);
    const value = (
      resolvedProperties(prepared, { Bucket: state('Bucket', 'AWS::S3::Bucket', 'b', { Arn: 'arn' }) })
        .Summary as { Value: string }
    ).Value;
    expect(value.split('|').slice(0, 4)).toEqual(['production', '443', 'gamma', '30']);
    expect(value).toContain('|prod|always|');
  });

  test('parameter constraints are checked with messages naming the parameter and value', async () => {
    const body = fixture('endpoint-stack.template.json');
    const prepare = (extra: Partial<PrepareOptions>) =>
      prepareTemplate(options(body, { capabilities: ['CAPABILITY_IAM'], ...extra }));
    const given = (values: Record<string, string>) =>
      Object.entries({ ModelDataUrl: 's3://b/m/model.tar.gz', EndpointName: 'e', ...values }).map(
        ([ParameterKey, ParameterValue]) => ({
          ParameterKey,
          ParameterValue,
        }),
      );
    await expect(prepare({ parameters: given({ InstanceType: 'ml.t2.nano' }) })).rejects.toThrow(
      'Parameter \'InstanceType\' must be one of AllowedValues [ml.m5.large, ml.m5.xlarge, ml.c5.large], got "ml.t2.nano"',
    );
    await expect(prepare({ parameters: given({ InstanceCount: 'two' }) })).rejects.toThrow(
      'Parameter \'InstanceCount\' must be a number, got "two"',
    );
    await expect(prepare({ parameters: given({ InstanceCount: '9' }) })).rejects.toThrow(
      'is greater than MaxValue 4',
    );
    await expect(prepare({ parameters: given({ ModelDataUrl: 'https://x' }) })).rejects.toThrow(
      'must match pattern',
    );
    const missing = await rejection(prepare({}));
    expect(missing.code).toBe('ValidationError');
    expect(missing.message).toBe('Parameters: [ModelDataUrl, EndpointName] must have values');
    await expect(prepare({ parameters: given({ Nope: 'x' }) })).rejects.toThrow(
      'Parameters: [Nope] do not exist in the template',
    );
  });

  test('IAM resources need CAPABILITY_IAM; SSM parameter types are read at deploy time; Rules are enforced', async () => {
    const body = fixture('endpoint-stack.template.json');
    const parameters = [
      { ParameterKey: 'ModelDataUrl', ParameterValue: 's3://b/m/model.tar.gz' },
      { ParameterKey: 'EndpointName', ParameterValue: 'e' },
    ];
    const capabilities = await rejection(prepareTemplate(options(body, { parameters })));
    expect(capabilities.code).toBe('InsufficientCapabilitiesException');
    expect(capabilities.message).toBe('Requires capabilities : [CAPABILITY_IAM]');

    const prepared = await prepareTemplate(options(body, { parameters, capabilities: ['CAPABILITY_IAM'] }));
    expect(prepared.parameters.parameters).toContainEqual({
      ParameterKey: 'BootstrapVersion',
      ParameterValue: '/cdk-bootstrap/hnb659fds/version',
      ResolvedValue: '30',
    });

    const oldBootstrap = [
      ...parameters,
      { ParameterKey: 'BootstrapVersion', ParameterValue: '/old/version' },
    ];
    await expect(
      prepareTemplate(options(body, { parameters: oldBootstrap, capabilities: ['CAPABILITY_IAM'] })),
    ).rejects.toThrow(
      "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.",
    );
    const unknownSsm = [...parameters, { ParameterKey: 'BootstrapVersion', ParameterValue: '/missing' }];
    await expect(
      prepareTemplate(options(body, { parameters: unknownSsm, capabilities: ['CAPABILITY_IAM'] })),
    ).rejects.toThrow('Unable to fetch parameters [/missing] from parameter store for this account.');
  });

  test('dependency order follows Ref, GetAtt, Sub and DependsOn; cycles and dangling references are template errors', () => {
    const template = loadTemplate(fixture('endpoint-stack.template.json'));
    const order = dependencyOrder(template, Object.keys(template.Resources));
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before('ModelRole1E7D5C8A', 'ModelRoleDefaultPolicy0B4EE5F1');
    before('ModelRoleDefaultPolicy0B4EE5F1', 'Model');
    before('Model', 'EndpointConfig');
    before('EndpointConfig', 'Endpoint');
    before('ModelLatencyAlarm', 'Endpoint');
    before('Endpoint', 'ScalableTarget');
    before('ScalableTarget', 'InvocationsScalingPolicy');

    const cyclic = JSON.stringify({
      Resources: {
        A: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'b', Value: { Ref: 'B' } }] } },
        B: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': '${A}-b' } } },
      },
    });
    return Promise.all([
      expect(prepareTemplate(options(cyclic))).rejects.toThrow(
        'Circular dependency between resources: [A, B]',
      ),
      expect(
        prepareTemplate(
          options(
            JSON.stringify({
              Resources: { A: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'Nowhere' } } } },
            }),
          ),
        ),
      ).rejects.toThrow(
        'Template format error: Unresolved resource dependencies [Nowhere] in the Resources block of the template',
      ),
      expect(prepareTemplate(options('Resources: {}'))).rejects.toThrow(
        'At least one Resources member must be defined.',
      ),
      expect(
        prepareTemplate(
          options('Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: !Bogus 1\n'),
        ),
      ).rejects.toThrow('YAML not well-formed'),
    ]);
  });

  test('change set planning: Add for new resources, Modify with Replacement for immutable properties, Remove', async () => {
    const body = fixture('endpoint-stack.template.json');
    const parameters = (url: string) => [
      { ParameterKey: 'ModelDataUrl', ParameterValue: url },
      { ParameterKey: 'EndpointName', ParameterValue: 'e' },
    ];
    const first = await prepareTemplate(
      options(body, { parameters: parameters('s3://b/v1/model.tar.gz'), capabilities: ['CAPABILITY_IAM'] }),
    );
    expect(
      planChanges({ prepared: first, resources: {}, handler, importValue: () => '' }).map(
        (change) => change.Action,
      ),
    ).toEqual(first.order.map(() => 'Add'));

    // The stack as the first template deployed it.
    const attributes: Record<string, Record<string, unknown>> = {
      ModelRole1E7D5C8A: { Arn: 'arn:aws:iam::000000000000:role/r', RoleId: 'AROA' },
      Model: { ModelName: 'Model-1' },
      EndpointConfig: { EndpointConfigName: 'EndpointConfig-1' },
      Endpoint: { EndpointName: 'e' },
    };
    const states: Record<string, ResourceState> = {};
    for (const id of first.order) {
      const type = first.template.Resources[id]!.Type;
      states[id] = state(
        id,
        type,
        `${id}-physical`,
        attributes[id] ?? { Arn: `arn:${id}`, Id: id, Value: 'e', Type: 'String' },
      );
    }
    const properties = resolvedProperties(first, states);
    for (const id of first.order)
      states[id] = { ...states[id]!, properties: properties[id] as Record<string, unknown> };

    const second = await prepareTemplate(
      options(body, { parameters: parameters('s3://b/v2/model.tar.gz'), capabilities: ['CAPABILITY_IAM'] }),
    );
    const changes = planChanges({ prepared: second, resources: states, handler, importValue: () => '' });
    expect(changes.map((change) => [change.LogicalResourceId, change.Action, change.Replacement])).toEqual([
      ['Model', 'Modify', 'True'],
      ['EndpointConfig', 'Modify', 'True'],
      ['Endpoint', 'Modify', 'False'],
    ]);
    expect(changes[0]!.Details).toEqual([
      {
        Target: { Attribute: 'Properties', Name: 'PrimaryContainer', RequiresRecreation: 'Always' },
        Evaluation: 'Static',
        ChangeSource: 'DirectModification',
      },
    ]);
    expect(changes[2]!.Details[0]).toMatchObject({
      Evaluation: 'Dynamic',
      ChangeSource: 'ResourceReference',
    });

    const unchanged = await prepareTemplate(
      options(body, { parameters: parameters('s3://b/v1/model.tar.gz'), capabilities: ['CAPABILITY_IAM'] }),
    );
    expect(planChanges({ prepared: unchanged, resources: states, handler, importValue: () => '' })).toEqual(
      [],
    );

    const extra = { ...states, Old: state('Old', 'AWS::S3::Bucket', 'old-bucket') };
    expect(planChanges({ prepared: unchanged, resources: extra, handler, importValue: () => '' })).toEqual([
      expect.objectContaining({
        Action: 'Remove',
        LogicalResourceId: 'Old',
        PhysicalResourceId: 'old-bucket',
      }),
    ]);
  });

  test('Fn::GetAtt on an attribute the type does not have is a template error naming both', async () => {
    const body = JSON.stringify({
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket' },
        Param: {
          Type: 'AWS::SSM::Parameter',
          Properties: { Type: 'String', Value: { 'Fn::GetAtt': ['Bucket', 'Colour'] } },
        },
      },
    });
    const prepared = await prepareTemplate(options(body));
    expect(() => resolvedProperties(prepared, { Bucket: state('Bucket', 'AWS::S3::Bucket', 'b') })).toThrow(
      'Template error: resource Bucket of type AWS::S3::Bucket does not support attribute type Colour in Fn::GetAtt',
    );
  });
});
