import { Template } from 'aws-cdk-lib/assertions';

import { UNSCOPED_ACTIONS } from '../../infra/lib/permissions/unscoped-actions';
import { asList, endpointStack, iamStatements, infraStacks, removeAssemblies } from './apps';

afterAll(removeAssemblies);

const infra = infraStacks();
const templates: Record<string, Template> = {
  MlopsFoundation: Template.fromStack(infra.foundation),
  MlopsCodePipeline: Template.fromStack(infra.pipeline),
  MlopsGitHubOidc: Template.fromStack(infra.oidc),
  EndpointStack: Template.fromStack(endpointStack()),
  'EndpointStack (model package)': Template.fromStack(
    endpointStack({ modelSource: { kind: 'modelPackage' } }),
  ),
};

const allowStatements = Object.entries(templates).flatMap(([stack, template]) =>
  iamStatements(template)
    .filter(({ statement }) => statement.Effect === 'Allow')
    .map(({ resource, statement }) => ({
      where: `${stack}/${resource}/${statement.Sid ?? '(generated)'}`,
      statement,
    })),
);

describe('IAM scope across every synthesized template', () => {
  test('the scan sees the policies (a sanity floor, so an empty scan cannot pass)', () => {
    expect(allowStatements.length).toBeGreaterThan(40);
  });

  test('no statement allows every action of a service or of AWS', () => {
    const wide = allowStatements.filter(({ statement }) =>
      asList(statement.Action).some((action) => action === '*' || action.endsWith(':*')),
    );
    expect(wide.map(({ where }) => where)).toEqual([]);
  });

  test('a `*` resource appears only with actions AWS cannot scope, each listed with its reason', () => {
    const onStar = allowStatements.filter(({ statement }) => asList(statement.Resource).includes('*'));
    const unlisted = onStar.flatMap(({ where, statement }) =>
      asList(statement.Action)
        .filter((action) => !Object.hasOwn(UNSCOPED_ACTIONS, action))
        .map((action) => `${where}: ${action}`),
    );
    expect(unlisted).toEqual([]);
    expect(onStar.length).toBeGreaterThan(0);
    for (const reason of Object.values(UNSCOPED_ACTIONS)) expect(reason.length).toBeGreaterThan(20);
  });

  test('every iam:PassRole names the role and the service it is passed to', () => {
    const passRole = allowStatements.filter(
      ({ statement, where }) =>
        asList(statement.Action).includes('iam:PassRole') && !where.startsWith('MlopsCodePipeline/Pipeline'),
    );
    expect(passRole.length).toBeGreaterThan(0);
    for (const { statement } of passRole) {
      expect(asList(statement.Resource)).not.toContain('*');
      expect(Object.keys(statement.Condition?.StringEquals ?? {})).toEqual(['iam:PassedToService']);
    }
  });
});
