import {
  AddTagsCommand,
  CreateModelCommand,
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  CreatePipelineCommand,
  DeleteModelCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  DescribePipelineCommand,
  DescribeTrainingJobCommand,
  DescribePipelineDefinitionForExecutionCommand,
  DescribePipelineExecutionCommand,
  ListModelPackageGroupsCommand,
  ListModelPackagesCommand,
  ListModelsCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineExecutionsCommand,
  ListPipelineParametersForExecutionCommand,
  ListPipelinesCommand,
  ListTagsCommand,
  ResourceNotFound,
  StartPipelineExecutionCommand,
  UpdateModelPackageCommand,
  UpdatePipelineCommand,
} from '@aws-sdk/client-sagemaker';

import {
  ROLE_ARN,
  putObject,
  startLocalSageMaker,
  stopLocalSageMaker,
  waitForExecution,
  type LocalSageMaker,
} from './helpers';

jest.setTimeout(30_000);

/** Three independent Condition steps and a parameter: runs in milliseconds, no Python involved. */
const conditions = (threshold = 5) => ({
  Version: '2020-12-01',
  Parameters: [{ Name: 'Threshold', Type: 'Integer', DefaultValue: threshold }],
  Steps: ['A', 'B', 'C'].map((name) => ({
    Name: name,
    Type: 'Condition',
    Arguments: {
      Conditions: [{ Type: 'GreaterThan', LeftValue: { Get: 'Parameters.Threshold' }, RightValue: 1 }],
      IfSteps: [],
      ElseSteps: [],
    },
  })),
});

describe('the local SageMaker API', () => {
  let local: LocalSageMaker | undefined;
  const sm = () => local!.sagemaker;

  beforeAll(async () => {
    local = await startLocalSageMaker();
    await sm().send(
      new CreatePipelineCommand({
        PipelineName: 'api',
        PipelineDefinition: JSON.stringify(conditions()),
        RoleArn: ROLE_ARN,
        ClientRequestToken: 'create-1'.padEnd(32, '-'),
      }),
    );
  });

  afterAll(() => stopLocalSageMaker(local));

  describe('pipelines', () => {
    it('rejects an invalid definition with a ValidationException listing each problem and its path', async () => {
      const broken = {
        Version: '2020-12-01',
        Steps: [{ Name: 'X', Type: 'Processing', Arguments: { RoleArn: { Get: 'Parameters.Missing' } } }],
      };
      await expect(
        sm().send(
          new CreatePipelineCommand({
            PipelineName: 'broken',
            PipelineDefinition: JSON.stringify(broken),
            RoleArn: ROLE_ARN,
          }),
        ),
      ).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringMatching(/Invalid pipeline definition .*\$\.Steps\[0\].*Parameters\.Missing/),
      });
    });

    it('answers a repeated create with the same token with the same ARN, and a new one with a ValidationException', async () => {
      const again = await sm().send(
        new CreatePipelineCommand({
          PipelineName: 'api',
          PipelineDefinition: JSON.stringify(conditions()),
          RoleArn: ROLE_ARN,
          ClientRequestToken: 'create-1'.padEnd(32, '-'),
        }),
      );
      expect(again.PipelineArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:pipeline/api');
      await expect(
        sm().send(
          new CreatePipelineCommand({
            PipelineName: 'api',
            PipelineDefinition: JSON.stringify(conditions()),
            RoleArn: ROLE_ARN,
          }),
        ),
      ).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining('already exists'),
      });
    });

    it('reads a definition from PipelineDefinitionS3Location, updates it and lists pipelines by prefix', async () => {
      await putObject(local!, 's3://definitions-bucket/api-s3.json', JSON.stringify(conditions(7)));
      await sm().send(
        new CreatePipelineCommand({
          PipelineName: 'api-s3',
          PipelineDefinitionS3Location: { Bucket: 'definitions-bucket', ObjectKey: 'api-s3.json' },
          RoleArn: ROLE_ARN,
          PipelineDescription: 'from S3',
        }),
      );
      const described = await sm().send(new DescribePipelineCommand({ PipelineName: 'api-s3' }));
      expect(JSON.parse(described.PipelineDefinition!).Parameters[0].DefaultValue).toBe(7);
      expect(described).toMatchObject({
        PipelineStatus: 'Active',
        PipelineDescription: 'from S3',
        RoleArn: ROLE_ARN,
      });
      expect(described.CreationTime).toBeInstanceOf(Date);

      const updated = await sm().send(
        new UpdatePipelineCommand({
          PipelineName: 'api-s3',
          PipelineDefinition: JSON.stringify(conditions(9)),
          ParallelismConfiguration: { MaxParallelExecutionSteps: 2 },
        }),
      );
      expect(updated.PipelineVersionId).toBe(2);
      const after = await sm().send(new DescribePipelineCommand({ PipelineName: 'api-s3' }));
      expect(JSON.parse(after.PipelineDefinition!).Parameters[0].DefaultValue).toBe(9);
      expect(after.ParallelismConfiguration).toEqual({ MaxParallelExecutionSteps: 2 });

      const listed = await sm().send(
        new ListPipelinesCommand({ PipelineNamePrefix: 'api', SortBy: 'Name', SortOrder: 'Ascending' }),
      );
      expect(listed.PipelineSummaries?.map((p) => p.PipelineName)).toEqual(['api', 'api-s3']);
      const hourAgo = new Date(Date.now() - 3_600_000);
      const inAnHour = new Date(Date.now() + 3_600_000);
      const names = async (window: { CreatedAfter?: Date; CreatedBefore?: Date }) =>
        (
          await sm().send(new ListPipelinesCommand({ PipelineNamePrefix: 'api', ...window }))
        ).PipelineSummaries?.map((p) => p.PipelineName);
      expect(await names({ CreatedAfter: inAnHour })).toEqual([]);
      expect(await names({ CreatedBefore: hourAgo })).toEqual([]);
      expect((await names({ CreatedAfter: hourAgo, CreatedBefore: inAnHour }))?.sort()).toEqual([
        'api',
        'api-s3',
      ]);
      await expect(sm().send(new DescribePipelineCommand({ PipelineName: 'nope' }))).rejects.toBeInstanceOf(
        ResourceNotFound,
      );
    });
  });

  describe('executions', () => {
    let arn: string;

    beforeAll(async () => {
      const started = await sm().send(
        new StartPipelineExecutionCommand({
          PipelineName: 'api',
          ClientRequestToken: 'start-1'.padEnd(32, '-'),
          PipelineExecutionDisplayName: 'first-run',
          PipelineExecutionDescription: 'checks the API',
          PipelineParameters: [{ Name: 'Threshold', Value: '3' }],
          ParallelismConfiguration: { MaxParallelExecutionSteps: 1 },
        }),
      );
      arn = started.PipelineExecutionArn!;
      await waitForExecution(local!, arn);
    });

    it('is idempotent on ClientRequestToken and describes the execution as started', async () => {
      const again = await sm().send(
        new StartPipelineExecutionCommand({
          PipelineName: 'api',
          ClientRequestToken: 'start-1'.padEnd(32, '-'),
        }),
      );
      expect(again.PipelineExecutionArn).toBe(arn);
      expect(arn).toMatch(
        /^arn:aws:sagemaker:us-east-1:000000000000:pipeline\/api\/execution\/[a-z0-9]{12}$/,
      );
      const execution = await sm().send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }));
      expect(execution).toMatchObject({
        PipelineArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/api',
        PipelineExecutionStatus: 'Succeeded',
        PipelineExecutionDisplayName: 'first-run',
        PipelineExecutionDescription: 'checks the API',
        ParallelismConfiguration: { MaxParallelExecutionSteps: 1 },
        PipelineExperimentConfig: { ExperimentName: 'api', TrialName: arn.split('/').pop() },
      });
      const parameters = await sm().send(
        new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: arn }),
      );
      expect(parameters.PipelineParameters).toEqual([{ Name: 'Threshold', Value: '3' }]);
    });

    it('checks parameters against the definition', async () => {
      await expect(
        sm().send(
          new StartPipelineExecutionCommand({
            PipelineName: 'api',
            PipelineParameters: [{ Name: 'Threshold', Value: 'many' }],
          }),
        ),
      ).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining('PipelineParameters.Threshold'),
      });
      await expect(
        sm().send(
          new StartPipelineExecutionCommand({
            PipelineName: 'api',
            PipelineParameters: [{ Name: 'Treshold', Value: '1' }],
          }),
        ),
      ).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining('unknown parameter "Treshold"'),
      });
    });

    it('pages steps (MaxResults 1-100, NextToken, SortOrder) and keeps the definition the execution ran', async () => {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await sm().send(
          new ListPipelineExecutionStepsCommand({
            PipelineExecutionArn: arn,
            MaxResults: 1,
            SortOrder: 'Ascending',
            ...(token ? { NextToken: token } : {}),
          }),
        );
        expect(page.PipelineExecutionSteps).toHaveLength(1);
        names.push(page.PipelineExecutionSteps![0]!.StepName!);
        token = page.NextToken;
      } while (token);
      expect(names).toEqual(['A', 'B', 'C']);
      const newestFirst = await sm().send(
        new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn }),
      );
      expect(newestFirst.PipelineExecutionSteps?.map((step) => step.StepName)).toEqual(['C', 'B', 'A']);
      for (const MaxResults of [0, 101]) {
        await expect(
          sm().send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn, MaxResults })),
        ).rejects.toMatchObject({ name: 'ValidationException' });
      }

      await sm().send(
        new UpdatePipelineCommand({ PipelineName: 'api', PipelineDefinition: JSON.stringify(conditions(8)) }),
      );
      const ran = await sm().send(
        new DescribePipelineDefinitionForExecutionCommand({ PipelineExecutionArn: arn }),
      );
      expect(JSON.parse(ran.PipelineDefinition!)).toEqual(conditions());
      const executions = await sm().send(new ListPipelineExecutionsCommand({ PipelineName: 'api' }));
      expect(
        executions.PipelineExecutionSummaries?.map((e) => [
          e.PipelineExecutionArn,
          e.PipelineExecutionStatus,
        ]),
      ).toEqual([[arn, 'Succeeded']]);
    });

    it('tags pipelines and executions', async () => {
      const tags = [
        { Key: 'github:repository', Value: 'octo/mlops' },
        { Key: 'github:sha', Value: 'abc123' },
      ];
      await sm().send(new AddTagsCommand({ ResourceArn: arn, Tags: tags }));
      await sm().send(
        new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'github:sha', Value: 'def456' }] }),
      );
      const listed = await sm().send(new ListTagsCommand({ ResourceArn: arn }));
      expect(listed.Tags).toEqual([tags[0], { Key: 'github:sha', Value: 'def456' }]);
    });

    it('answers ResourceNotFound for an unknown execution', async () => {
      await expect(
        sm().send(
          new DescribePipelineExecutionCommand({
            PipelineExecutionArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/api/execution/nope',
          }),
        ),
      ).rejects.toBeInstanceOf(ResourceNotFound);
    });

    it('answers ResourceNotFound with HTTP 400 and a missing training job as AWS does', async () => {
      const missing = await sm()
        .send(new DescribePipelineCommand({ PipelineName: 'no-such-pipeline' }))
        .catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(ResourceNotFound);
      expect((missing as ResourceNotFound).$metadata.httpStatusCode).toBe(400);
      await expect(
        sm().send(new DescribeTrainingJobCommand({ TrainingJobName: 'no-such-job' })),
      ).rejects.toMatchObject({ name: 'ValidationException', message: 'Requested resource not found.' });
    });
  });

  describe('models and the model registry', () => {
    it('creates, describes, lists and deletes models', async () => {
      const created = await sm().send(
        new CreateModelCommand({
          ModelName: 'm-1',
          ExecutionRoleArn: ROLE_ARN,
          PrimaryContainer: { Image: 'img', ModelDataUrl: 's3://b/m.tar.gz' },
        }),
      );
      expect(created.ModelArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:model/m-1');
      const described = await sm().send(new DescribeModelCommand({ ModelName: 'm-1' }));
      expect(described).toMatchObject({
        ModelName: 'm-1',
        PrimaryContainer: { ModelDataUrl: 's3://b/m.tar.gz' },
      });
      await expect(
        sm().send(new CreateModelCommand({ ModelName: 'm-1', PrimaryContainer: { Image: 'img' } })),
      ).rejects.toMatchObject({ name: 'ValidationException' });
      expect(
        (await sm().send(new ListModelsCommand({ NameContains: 'm-' }))).Models?.map((m) => m.ModelName),
      ).toEqual(['m-1']);
      await sm().send(new DeleteModelCommand({ ModelName: 'm-1' }));
      await expect(sm().send(new DescribeModelCommand({ ModelName: 'm-1' }))).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining('Could not find model'),
      });
    });

    it('versions packages in a group, lists them ascending by default, filters by approval and updates approval', async () => {
      await sm().send(
        new CreateModelPackageGroupCommand({
          ModelPackageGroupName: 'registry',
          ModelPackageGroupDescription: 'test group',
        }),
      );
      const group = await sm().send(
        new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'registry' }),
      );
      expect(group).toMatchObject({
        ModelPackageGroupStatus: 'Completed',
        ModelPackageGroupArn: 'arn:aws:sagemaker:us-east-1:000000000000:model-package-group/registry',
      });
      const arns: string[] = [];
      for (const status of ['Approved', 'PendingManualApproval', 'Approved'] as const) {
        const created = await sm().send(
          new CreateModelPackageCommand({
            ModelPackageGroupName: 'registry',
            ModelApprovalStatus: status,
            InferenceSpecification: {
              Containers: [{ Image: 'img' }],
              SupportedContentTypes: ['text/csv'],
              SupportedResponseMIMETypes: ['text/csv'],
            },
          }),
        );
        arns.push(created.ModelPackageArn!);
      }
      expect(arns).toEqual(
        [1, 2, 3].map(
          (version) => `arn:aws:sagemaker:us-east-1:000000000000:model-package/registry/${version}`,
        ),
      );

      const ascending = await sm().send(new ListModelPackagesCommand({ ModelPackageGroupName: 'registry' }));
      expect(ascending.ModelPackageSummaryList?.map((p) => p.ModelPackageVersion)).toEqual([1, 2, 3]);
      const future = await sm().send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: 'registry',
          CreationTimeAfter: new Date(Date.now() + 3_600_000),
        }),
      );
      expect(future.ModelPackageSummaryList).toEqual([]);
      const newestApproved = await sm().send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: 'registry',
          ModelApprovalStatus: 'Approved',
          SortBy: 'CreationTime',
          SortOrder: 'Descending',
          MaxResults: 1,
        }),
      );
      expect(newestApproved.ModelPackageSummaryList?.map((p) => p.ModelPackageVersion)).toEqual([3]);
      expect(newestApproved.NextToken).toBeDefined();

      await sm().send(
        new UpdateModelPackageCommand({
          ModelPackageArn: arns[1],
          ModelApprovalStatus: 'Rejected',
          ApprovalDescription: 'worse RMSE',
        }),
      );
      const rejected = await sm().send(new DescribeModelPackageCommand({ ModelPackageName: arns[1] }));
      expect(rejected).toMatchObject({
        ModelApprovalStatus: 'Rejected',
        ApprovalDescription: 'worse RMSE',
        ModelPackageVersion: 2,
        ModelPackageGroupName: 'registry',
        ModelPackageStatus: 'Completed',
      });
      const groups = await sm().send(new ListModelPackageGroupsCommand({ NameContains: 'regis' }));
      expect(groups.ModelPackageGroupSummaryList?.map((g) => g.ModelPackageGroupName)).toEqual(['registry']);
      await expect(
        sm().send(
          new CreateModelPackageCommand({
            ModelPackageGroupName: 'registry',
            ModelApprovalStatus: 'Maybe' as 'Approved',
          }),
        ),
      ).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining(
          "Value 'Maybe' at 'modelApprovalStatus' failed to satisfy constraint: Member must satisfy enum value set",
        ),
      });
    });
  });
});
