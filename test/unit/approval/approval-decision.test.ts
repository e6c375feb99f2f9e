import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  type DescribeModelPackageCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';

import { approvalFromTags, approvalTags, decideApprovalDeploy } from '../../../src/deploy/approval-decision';

const sagemaker = mockClient(SageMakerClient);
afterEach(() => sagemaker.reset());
const client = () => new SageMakerClient({ region: 'us-east-1' });
const arn = (version: number) => `arn:aws:sagemaker:us-east-1:123456789012:model-package/abalone/${version}`;
const GROUP = 'abalone';

const described = (version: number, fields: Partial<DescribeModelPackageCommandOutput>) =>
  sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: arn(version) }).resolves({
    ModelPackageArn: arn(version),
    ModelPackageGroupName: GROUP,
    ModelPackageName: GROUP,
    CreationTime: new Date(0),
    ModelPackageStatus: 'Completed',
    $metadata: {},
    ...fields,
  } as DescribeModelPackageCommandOutput);

test('approved: deploys exactly that package, with who approved it and why', async () => {
  described(2, {
    ModelApprovalStatus: 'Approved',
    ApprovalDescription: 'better RMSE',
    LastModifiedBy: { IamIdentity: { Arn: 'arn:aws:sts::123456789012:assumed-role/reviewer/ana' } },
  });
  const decision = await decideApprovalDeploy(client(), {
    event: 'approved',
    modelPackageArn: arn(2),
    groupName: GROUP,
    servingArn: arn(1),
  });
  expect(decision).toEqual({
    kind: 'deploy',
    reason: `${arn(2)} was approved`,
    package: {
      arn: arn(2),
      groupName: GROUP,
      approvedBy: 'arn:aws:sts::123456789012:assumed-role/reviewer/ana',
      approvalDescription: 'better RMSE',
    },
  });
});

test('approved: a repeated event for the package already serving is a no-op', async () => {
  described(2, { ModelApprovalStatus: 'Approved' });
  const decision = await decideApprovalDeploy(client(), {
    event: 'approved',
    modelPackageArn: arn(2),
    groupName: GROUP,
    servingArn: arn(2),
  });
  expect(decision.kind).toBe('no-op');
});

test('approved: refuses a package of another group, or one no longer Approved', async () => {
  described(2, { ModelApprovalStatus: 'Approved', ModelPackageGroupName: 'other' });
  await expect(
    decideApprovalDeploy(client(), {
      event: 'approved',
      modelPackageArn: arn(2),
      groupName: GROUP,
      servingArn: undefined,
    }),
  ).rejects.toThrow(`model package ${arn(2)} belongs to other, not to abalone`);
  sagemaker.reset();
  described(2, { ModelApprovalStatus: 'Rejected' });
  await expect(
    decideApprovalDeploy(client(), {
      event: 'approved',
      modelPackageArn: arn(2),
      groupName: GROUP,
      servingArn: undefined,
    }),
  ).rejects.toThrow(
    `model package ${arn(2)} is Rejected, not Approved; approve it first (npx mlops approve ${arn(2)})`,
  );
});

test('rejected while serving: rolls back to the newest package still Approved', async () => {
  described(2, { ModelApprovalStatus: 'Rejected' });
  described(1, { ModelApprovalStatus: 'Approved', ApprovalDescription: 'baseline' });
  sagemaker.on(ListModelPackagesCommand).resolves({
    ModelPackageSummaryList: [
      {
        ModelPackageArn: arn(1),
        ModelPackageVersion: 1,
        ModelPackageGroupName: GROUP,
        ModelPackageStatus: 'Completed',
        CreationTime: new Date(0),
      },
    ],
  });
  const decision = await decideApprovalDeploy(client(), {
    event: 'rejected',
    modelPackageArn: arn(2),
    groupName: GROUP,
    servingArn: arn(2),
  });
  expect(decision).toMatchObject({
    kind: 'deploy',
    package: { arn: arn(1), approvalDescription: 'baseline' },
  });
  expect(sagemaker.commandCalls(ListModelPackagesCommand)[0]?.args[0].input).toMatchObject({
    ModelApprovalStatus: 'Approved',
    SortOrder: 'Descending',
  });
});

test('rejected while serving with nothing else Approved: says the endpoint keeps serving and what to do', async () => {
  described(2, { ModelApprovalStatus: 'Rejected' });
  sagemaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
  await expect(
    decideApprovalDeploy(client(), {
      event: 'rejected',
      modelPackageArn: arn(2),
      groupName: GROUP,
      servingArn: arn(2),
    }),
  ).rejects.toThrow(/has no other Approved package to roll back to; the endpoint keeps serving it/);
});

test('rejected but not serving, or approved again since: no-op', async () => {
  described(2, { ModelApprovalStatus: 'Rejected' });
  expect(
    await decideApprovalDeploy(client(), {
      event: 'rejected',
      modelPackageArn: arn(2),
      groupName: GROUP,
      servingArn: arn(1),
    }),
  ).toMatchObject({ kind: 'no-op', reason: expect.stringContaining(`${arn(1)} does`) });
  sagemaker.reset();
  described(2, { ModelApprovalStatus: 'Approved' });
  expect(
    await decideApprovalDeploy(client(), {
      event: 'rejected',
      modelPackageArn: arn(2),
      groupName: GROUP,
      servingArn: arn(2),
    }),
  ).toMatchObject({ kind: 'no-op', reason: `${arn(2)} is Approved again; nothing to roll back` });
});

test('approval tags keep to the characters and length tag values allow', () => {
  const tags = approvalTags({
    arn: arn(3),
    groupName: GROUP,
    approvedBy: 'ana@example.com',
    approvalDescription: `RMSE 2.1 < 2.3 (ticket #42); ok! ${'x'.repeat(300)}`,
  });
  expect(tags['mlops:model-package-arn']).toBe(arn(3));
  expect(tags['mlops:approved-by']).toBe('ana@example.com');
  expect(tags['mlops:approval-description']).toMatch(/^RMSE 2\.1 {3}2\.3 {2}ticket {2}42 {3}ok/);
  expect(tags['mlops:approval-description']!.length).toBeLessThanOrEqual(256);
});

test('a package registered as Approved was approved by whoever registered it; with no identity at all, "unknown"', async () => {
  described(3, {
    ModelApprovalStatus: 'Approved',
    CreatedBy: { IamIdentity: { Arn: 'arn:aws:iam::123456789012:user/ci' } },
  });
  const registeredApproved = await decideApprovalDeploy(client(), {
    event: 'approved',
    modelPackageArn: arn(3),
    groupName: GROUP,
    servingArn: undefined,
  });
  expect(registeredApproved).toMatchObject({ package: { approvedBy: 'arn:aws:iam::123456789012:user/ci' } });
  described(4, { ModelApprovalStatus: 'Approved', CreatedBy: {}, LastModifiedBy: {} });
  const nobody = await decideApprovalDeploy(client(), {
    event: 'approved',
    modelPackageArn: arn(4),
    groupName: GROUP,
    servingArn: undefined,
  });
  expect(nobody).toMatchObject({ package: { approvedBy: 'unknown (the registry did not record who)' } });
});

test('the approval tags read back as the decision they record; other stacks have none', () => {
  const tags = approvalTags({
    arn: arn(2),
    groupName: GROUP,
    approvedBy: 'arn:aws:iam::000000000000:user/alice',
    approvalDescription: 'RMSE 2.07 vs 2.31',
  });
  expect(approvalFromTags(tags)).toEqual({
    modelPackageArn: arn(2),
    approvedBy: 'arn:aws:iam::000000000000:user/alice',
    approvalDescription: 'RMSE 2.07 vs 2.31',
  });
  expect(approvalFromTags({ team: 'ml' })).toBeUndefined();
});
