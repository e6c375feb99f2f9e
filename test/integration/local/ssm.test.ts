import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  ParameterPatternMismatchException,
  ParameterVersionNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';

import { useLocalAws } from './harness';

const harness = useLocalAws();
let ssm: SSMClient;

beforeAll(() => {
  ssm = harness.client(SSMClient, { maxAttempts: 1 });
});

describe('local SSM Parameter Store through the SDK v3 client', () => {
  it('creates, versions and reads parameters (latest and name:version)', async () => {
    const first = await ssm.send(
      new PutParameterCommand({ Name: '/app/model', Value: 'model-1', Type: 'String' }),
    );
    expect(first).toMatchObject({ Version: 1, Tier: 'Standard' });
    const second = await ssm.send(
      new PutParameterCommand({ Name: '/app/model', Value: 'model-2', Overwrite: true }),
    );
    expect(second.Version).toBe(2);

    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/app/model' }));
    expect(Parameter).toMatchObject({
      Name: '/app/model',
      Value: 'model-2',
      Version: 2,
      Type: 'String',
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/model',
    });
    expect(Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    const old = await ssm.send(new GetParameterCommand({ Name: '/app/model:1' }));
    expect(old.Parameter).toMatchObject({ Value: 'model-1', Version: 1, Selector: ':1' });

    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/app/model' }));
    expect(history.Parameters?.map((p) => [p.Version, p.Value])).toEqual([
      [1, 'model-1'],
      [2, 'model-2'],
    ]);
  });

  it('raises the typed errors a client expects', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/errors/p', Value: 'v', Type: 'String' }));
    await expect(
      ssm.send(new PutParameterCommand({ Name: '/errors/p', Value: 'w', Type: 'String' })),
    ).rejects.toBeInstanceOf(ParameterAlreadyExists);
    await expect(ssm.send(new GetParameterCommand({ Name: '/errors/missing' }))).rejects.toBeInstanceOf(
      ParameterNotFound,
    );
    await expect(ssm.send(new GetParameterCommand({ Name: '/errors/p:9' }))).rejects.toBeInstanceOf(
      ParameterVersionNotFound,
    );
    await expect(
      ssm.send(new PutParameterCommand({ Name: '/errors/bad name!', Value: 'v', Type: 'String' })),
    ).rejects.toBeInstanceOf(ParameterPatternMismatchException);
    await expect(
      ssm.send(
        new PutParameterCommand({
          Name: '/errors/p',
          Value: 'v',
          Overwrite: true,
          Tags: [{ Key: 'k', Value: 'v' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("tags and overwrite can't be used together"),
    });
    await expect(
      ssm.send(new PutParameterCommand({ Name: 'aws-reserved', Value: 'v', Type: 'String' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('"aws" or "ssm"'),
    });
    await expect(
      ssm.send(new PutParameterCommand({ Name: '/errors/untyped', Value: 'v' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('type is required'),
    });
  });

  it('reads several at once, by path, and describes them', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/multi/a', Value: '1', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/multi/b', Value: 'x,y', Type: 'StringList' }));
    await ssm.send(new PutParameterCommand({ Name: '/multi/deep/c', Value: 's', Type: 'SecureString' }));
    const many = await ssm.send(new GetParametersCommand({ Names: ['/multi/a', '/multi/b', '/multi/none'] }));
    expect(many.Parameters?.map((p) => p.Value)).toEqual(['1', 'x,y']);
    expect(many.InvalidParameters).toEqual(['/multi/none']);

    const oneLevel = await ssm.send(new GetParametersByPathCommand({ Path: '/multi' }));
    expect(oneLevel.Parameters?.map((p) => p.Name)).toEqual(['/multi/a', '/multi/b']);
    const recursive = await ssm.send(new GetParametersByPathCommand({ Path: '/multi/', Recursive: true }));
    expect(recursive.Parameters).toHaveLength(3);

    const described = await ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/multi/'] }],
      }),
    );
    expect(described.Parameters?.map((p) => [p.Name, p.Type])).toEqual([
      ['/multi/a', 'String'],
      ['/multi/b', 'StringList'],
      ['/multi/deep/c', 'SecureString'],
    ]);
  });

  it('deletes parameters', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/gone/p', Value: 'v', Type: 'String' }));
    await ssm.send(new DeleteParameterCommand({ Name: '/gone/p' }));
    await expect(ssm.send(new GetParameterCommand({ Name: '/gone/p' }))).rejects.toBeInstanceOf(
      ParameterNotFound,
    );
    await expect(ssm.send(new DeleteParameterCommand({ Name: '/gone/p' }))).rejects.toBeInstanceOf(
      ParameterNotFound,
    );
  });

  it('is seeded with the CDK bootstrap version CDK templates check', async () => {
    const { Parameter } = await ssm.send(
      new GetParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version' }),
    );
    expect(Number(Parameter?.Value)).toBeGreaterThanOrEqual(6);
  });

  it('answers an unimplemented operation with UnknownOperationException naming it, at once', async () => {
    const error = await ssm
      .send(new LabelParameterVersionCommand({ Name: '/app/model', Labels: ['prod'] }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SSMServiceException);
    expect(error).toMatchObject({
      name: 'UnknownOperationException',
      message: expect.stringContaining('LabelParameterVersion'),
    });
  });

  it('refuses DescribeParameters filters AWS refuses, with its error codes, and pages with opaque tokens', async () => {
    const describe = (filter: { Key: string; Option?: string; Values: string[] }) =>
      ssm.send(new DescribeParametersCommand({ ParameterFilters: [filter] }));
    await expect(describe({ Key: 'Label', Values: ['x'] })).rejects.toMatchObject({
      name: 'InvalidFilterKey',
    });
    await expect(describe({ Key: 'Name', Option: 'Recursive', Values: ['/a'] })).rejects.toMatchObject({
      name: 'InvalidFilterOption',
      message: expect.stringContaining('Recursive'),
    });
    await expect(describe({ Key: 'Bogus', Values: ['x'] })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("at 'parameterFilters.1.member.key'"),
    });
    await expect(ssm.send(new DescribeParametersCommand({ NextToken: 'not-a-token' }))).rejects.toMatchObject(
      { name: 'InvalidNextToken' },
    );
    const first = await ssm.send(new DescribeParametersCommand({ MaxResults: 1 }));
    expect(first.Parameters).toHaveLength(1);
    const second = await ssm.send(
      new DescribeParametersCommand({ MaxResults: 1, NextToken: first.NextToken! }),
    );
    expect(second.Parameters?.[0]?.Name).not.toBe(first.Parameters?.[0]?.Name);
  });
});
