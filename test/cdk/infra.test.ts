import { Aspects, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';

import { AcknowledgeDeclaredWildcards } from '../../infra/lib/nag/acknowledge-wildcards';
import { scopedStatement } from '../../infra/lib/permissions/statements';
import { asList, iamStatements, infraStacks, nagFindings, removeAssemblies, testApp } from './apps';

afterAll(removeAssemblies);

const { foundation, pipeline, oidc } = infraStacks();
const templates = {
  foundation: Template.fromStack(foundation),
  pipeline: Template.fromStack(pipeline),
  oidc: Template.fromStack(oidc),
};

describe('foundation stack', () => {
  const template = templates.foundation;

  test('artifact bucket: encrypted, TLS only, no public access, access-logged', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: {
        'Fn::Join': [
          '',
          ['mlops-abalone-artifacts-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }],
        ],
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'artifact-bucket/' }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }),
        ]),
      },
    });
    const bucketPolicies = template.findResources('AWS::S3::BucketPolicy');
    expect(Object.keys(bucketPolicies)).toHaveLength(2);
    for (const policy of Object.values(bucketPolicies)) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  test('record-model-name: Node.js 22 over the shared handler, allowed to put only its one parameter', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'mlops-abalone-record-model-name',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Environment: { Variables: { MODEL_NAME_PARAMETER: '/mlops/abalone/model-name' } },
    });
    const [functionResource] = Object.values(template.findResources('AWS::Lambda::Function'));
    const roleId = functionResource?.Properties.Role['Fn::GetAtt'][0];
    const statements = iamStatements(template).filter(({ resource }) => {
      const policy = template.toJSON().Resources[resource];
      return (
        resource === roleId ||
        asList(policy.Properties.Roles).some((role: { Ref?: string }) => role.Ref === roleId)
      );
    });
    const ssm = statements.filter(({ statement }) =>
      asList(statement.Action).some((action) => action.startsWith('ssm:')),
    );
    expect(ssm.map(({ statement }) => statement)).toEqual([
      {
        Sid: 'WriteModelNameParameter',
        Effect: 'Allow',
        Action: 'ssm:PutParameter',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ssm:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':parameter/mlops/abalone/model-name',
            ],
          ],
        },
      },
    ]);
    const actions = statements.flatMap(({ statement }) => asList(statement.Action));
    expect(actions.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'ssm:PutParameter']);
  });

  test('SageMaker role: pulls only the two SageMaker images of the region’s publishing account', () => {
    const pull = iamStatements(template).find(
      ({ statement }) => statement.Sid === 'PullSageMakerImages',
    )?.statement;
    const repositories = asList(pull?.Resource).map((arn) => JSON.stringify(arn));
    expect(repositories).toHaveLength(2);
    expect(repositories[0]).toContain(':repository/sagemaker-scikit-learn');
    expect(repositories[1]).toContain(':repository/sagemaker-xgboost');
    for (const arn of repositories) expect(arn).toContain('"Fn::FindInMap"');
    const mapping = Object.values(
      template.toJSON().Mappings as Record<string, Record<string, Record<string, string>>>,
    )[0];
    expect(mapping?.['us-east-1']).toEqual({ sklearn: '683313688378', xgboost: '683313688378' });
  });

  test('the model package group exists with the configured name', () => {
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'mlops-abalone',
    });
  });
});

describe('CodePipeline stack', () => {
  const template = templates.pipeline;
  const stages = () =>
    (Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0]?.Properties.Stages ?? []) as {
      Name: string;
      Actions: {
        Name: string;
        ActionTypeId: { Category: string; Provider: string };
        Configuration?: Record<string, unknown>;
      }[];
    }[];

  test('has the original’s stages in order, the approval before the deploy', () => {
    const names = stages().map((stage) => stage.Name);
    expect(names).toEqual([
      'Source',
      'BuildSageMakerModel',
      'BuildCdk',
      'ManualApproval',
      'DeploySageMakerEndpoint',
    ]);
    expect(names.indexOf('ManualApproval')).toBeLessThan(names.indexOf('DeploySageMakerEndpoint'));
    expect(stages().map((stage) => stage.Actions.map((action) => action.ActionTypeId.Provider))).toEqual([
      ['CodeStarSourceConnection'],
      ['CodeBuild'],
      ['CodeBuild'],
      ['Manual'],
      ['CloudFormation'],
    ]);
  });

  test('source, approval and deploy are configured from context', () => {
    const [source = {}, , , approval = {}, deploy = {}] = stages().map(
      (stage) => stage.Actions[0]?.Configuration ?? {},
    );
    expect(source).toMatchObject({
      ConnectionArn:
        'arn:aws:codeconnections:us-east-1:111111111111:connection/00000000-0000-0000-0000-000000000000',
      FullRepositoryId: 'your-org/your-repo',
      BranchName: 'main',
    });
    expect(approval).toMatchObject({ NotificationArn: { Ref: expect.stringMatching(/^ApprovalTopic/) } });
    expect(deploy).toMatchObject({
      // Create or update, replacing a stack a failed first create left behind.
      ActionMode: 'REPLACE_ON_FAILURE',
      StackName: 'abalone-endpoint-production',
      TemplatePath: 'EndpointTemplate::EndpointStack.template.json',
    });
    // A Fn::Join, since the data capture URI holds the account and region.
    const overrides = JSON.stringify(deploy.ParameterOverrides);
    expect(overrides).toContain('\\"ModelNameParameter\\":\\"/mlops/abalone/model-name\\"');
    expect(overrides).toContain('\\"StageName\\":\\"production\\"');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ml-approvers@example.com',
    });
  });

  test('BuildSageMakerModel runs `mlops run --target aws` with the foundation’s names; BuildCdk emits the template', () => {
    const projects = Object.values(template.findResources('AWS::CodeBuild::Project')).map(
      (project) => project.Properties,
    );
    const buildModel = projects.find((project) => project.Source.BuildSpec.includes('mlops run'));
    expect(buildModel.Source.BuildSpec).toContain('npx mlops run --target aws');
    expect(
      buildModel.Environment.EnvironmentVariables.map((variable: { Name: string }) => variable.Name).sort(),
    ).toEqual([
      'MLOPS_BUCKET',
      'MLOPS_LAMBDA_ARN',
      'MLOPS_MODEL_NAME_PARAMETER',
      'MLOPS_MODEL_PACKAGE_GROUP',
      'MLOPS_PIPELINE_NAME',
      'MLOPS_ROLE_ARN',
    ]);
    const buildCdk = projects.find((project) => project.Source.BuildSpec.includes('cdk synth'));
    const spec = JSON.parse(buildCdk.Source.BuildSpec);
    expect(spec.phases.build.commands[0]).toContain(
      '-c modelSource=ssmParameter -c modelNameParameter=/mlops/abalone/model-name',
    );
    expect(spec.artifacts).toEqual({
      'base-directory': 'cdk-model-deploy/cdk.out',
      files: ['EndpointStack.template.json'],
    });
  });
});

describe('GitHub OIDC stack', () => {
  const template = templates.oidc;

  /** The trust policy of the role whose logical id starts with `logicalId`. */
  const trustOf = (logicalId: string): unknown => {
    const roles = template.findResources('AWS::IAM::Role');
    const [, role] = Object.entries(roles).find(([id]) => id.startsWith(logicalId)) ?? [];
    return (role as { Properties: { AssumeRolePolicyDocument: unknown } }).Properties
      .AssumeRolePolicyDocument;
  };
  const trust = (sub: string | string[]) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: { Ref: expect.stringMatching(/^GitHubProvider/) } },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': sub,
          },
        },
      },
    ],
  });

  test('the deploy role trusts only the repository’s main branch and its staging environment', () => {
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    expect(trustOf('DeployRole')).toEqual(
      trust(['repo:your-org/your-repo:ref:refs/heads/main', 'repo:your-org/your-repo:environment:staging']),
    );
    template.hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 14400,
      Description: Match.stringLikeRegexp('deploy staging$'),
    });
  });

  test('the production deploy role trusts only jobs in the production environment (StringEquals, aud sts)', () => {
    expect(trustOf('ProductionDeployRole')).toEqual(trust('repo:your-org/your-repo:environment:production'));
    template.hasOutput('ProductionDeployRoleArn', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProductionDeployRole'), 'Arn'] },
    });
  });

  test('production is not an environment of the deploy role', () => {
    expect(() => infraStacks({ githubEnvironments: 'staging,production' })).toThrow(
      /githubEnvironments.*production.*expected GitHub environment names such as staging \(production has a role of its own\)/,
    );
  });

  test('an existing provider is used instead of creating a second one', () => {
    const arn = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
    const template = Template.fromStack(
      infraStacks({ githubOidcProviderArn: arn, githubEnvironments: 'prod' }).oidc,
    );
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Federated: arn },
            Condition: {
              StringEquals: Match.objectLike({
                'token.actions.githubusercontent.com:sub': [
                  'repo:your-org/your-repo:ref:refs/heads/main',
                  'repo:your-org/your-repo:environment:prod',
                ],
              }),
            },
          }),
        ],
      },
    });
  });

  const statementsOf = (logicalId: string) =>
    Object.fromEntries(
      iamStatements(template)
        .filter(({ resource }) => resource.startsWith(logicalId))
        .map(({ statement }) => [statement.Sid, statement]),
    );

  test('the deploy role runs the pipeline and deploys the staging stack only', () => {
    const statements = statementsOf('DeployRoleDefaultPolicy');
    expect(Object.keys(statements).sort()).toEqual([
      'EndpointStackChangeSets',
      'ListArtifactBucket',
      'ListModelPackages',
      'PassDeploymentRole',
      'PassPipelineRole',
      'ReadModelNameParameter',
      'ReadModelRegistry',
      'ReadPipelineJobs',
      'ReadServingModel',
      'ReadWriteArtifacts',
      'SmokeTestEndpoints',
      'UpsertAndRunPipeline',
      'ValidateTemplates',
    ]);
    const text = (sid: string) => JSON.stringify(statements[sid]?.Resource);
    expect(text('UpsertAndRunPipeline')).toContain(':pipeline/mlops-abalone"');
    expect(text('EndpointStackChangeSets')).toContain(':stack/abalone-endpoint-staging/*"');
    expect(text('EndpointStackChangeSets')).not.toContain('production');
    expect(text('SmokeTestEndpoints')).toContain(':endpoint/abalone-staging"');
    expect(text('SmokeTestEndpoints')).not.toContain('production');
    expect(statements.PassPipelineRole?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' },
    });
    expect(statements.PassDeploymentRole?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
    });
  });

  test('the production deploy role deploys the production stack and nothing else', () => {
    const statements = statementsOf('ProductionDeployRoleDefaultPolicy');
    expect(Object.keys(statements).sort()).toEqual([
      'EndpointStackChangeSets',
      'PassDeploymentRole',
      'ReadServingModel',
      'SmokeTestEndpoints',
      'ValidateTemplates',
    ]);
    const text = (sid: string) => JSON.stringify(statements[sid]?.Resource);
    expect(text('EndpointStackChangeSets')).toContain(':stack/abalone-endpoint-production/*"');
    expect(text('EndpointStackChangeSets')).not.toContain('staging');
    expect(text('SmokeTestEndpoints')).toContain(':endpoint/abalone-production"');
  });
});

describe('infra config', () => {
  test.each([
    [
      { githubOwner: 'your org' },
      'context githubOwner is "your org"; expected a GitHub user or organization name',
    ],
    [
      { projectName: 'a-very-long-project-name' },
      'context projectName is "a-very-long-project-name"; expected lower-case',
    ],
    [
      { codestarConnectionArn: 'my-connection' },
      'context codestarConnectionArn is "my-connection"; expected the ARN',
    ],
    [{ approvalEmail: 'nobody' }, 'context approvalEmail is "nobody"; expected an e-mail address'],
    [{ githubEnvironments: 42 }, 'context githubEnvironments is 42; expected a list of strings'],
  ])('rejects %j', (context, message) => {
    expect(() => infraStacks(context)).toThrow(message);
  });
});

describe('cdk-nag AwsSolutions', () => {
  test.each(['foundation', 'pipeline', 'oidc'] as const)(
    '%s stack has no unacknowledged findings',
    (name) => {
      expect(nagFindings({ foundation, pipeline, oidc }[name])).toEqual([]);
    },
  );

  test('a wildcard without a declared reason is reported; with one it is acknowledged', () => {
    const stack = new Stack(testApp(), 'Probe');
    const role = (id: string) =>
      new Role(stack, id, { assumedBy: new ServicePrincipal('sagemaker.amazonaws.com') });
    role('Undeclared').addToPolicy(
      scopedStatement({
        sid: 'ProbeUndeclared',
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::probe/*'],
      }),
    );
    role('Declared').addToPolicy(
      scopedStatement({
        sid: 'ProbeDeclared',
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::probe/*'],
        wildcard: 'probe',
      }),
    );
    Aspects.of(stack).add(new AcknowledgeDeclaredWildcards());
    const wildcards = nagFindings(stack).filter((finding) => finding.rule.startsWith('AwsSolutions-IAM5'));
    expect(wildcards).toEqual([
      {
        rule: 'AwsSolutions-IAM5[Resource::arn:aws:s3:::probe/*]',
        severity: 'error',
        paths: ['Probe/Undeclared/DefaultPolicy/Resource'],
      },
    ]);
  });
});
