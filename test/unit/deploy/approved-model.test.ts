import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';

import { findApprovedModelPackage, NoApprovedModelError } from '../../../src/deploy/approved-model';

const sagemaker = mockClient(SageMakerClient);
afterEach(() => sagemaker.reset());
const client = () => new SageMakerClient({ region: 'us-east-1' });
const ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/abalone-models/3';

test('asks for the newest Approved package explicitly (Descending is not the default) and describes it', async () => {
  sagemaker.on(ListModelPackagesCommand).resolves({
    ModelPackageSummaryList: [
      {
        ModelPackageArn: ARN,
        ModelPackageVersion: 3,
        ModelPackageGroupName: 'abalone-models',
        ModelPackageStatus: 'Completed',
        CreationTime: new Date(0),
      },
    ],
  });
  sagemaker.on(DescribeModelPackageCommand).resolves({
    InferenceSpecification: {
      Containers: [{ Image: 'xgb:1.7-1', ModelDataUrl: 's3://b/model.tar.gz' }],
      SupportedContentTypes: [],
      SupportedResponseMIMETypes: [],
    },
  });
  const approved = await findApprovedModelPackage(client(), 'abalone-models');
  expect(sagemaker.commandCalls(ListModelPackagesCommand)[0]?.args[0].input).toEqual({
    ModelPackageGroupName: 'abalone-models',
    ModelApprovalStatus: 'Approved',
    SortBy: 'CreationTime',
    SortOrder: 'Descending',
    MaxResults: 1,
  });
  expect(approved).toMatchObject({
    arn: ARN,
    version: 3,
    imageUri: 'xgb:1.7-1',
    modelDataUrl: 's3://b/model.tar.gz',
  });
});

test('none approved: the error names the newest package, its status and how to approve it', async () => {
  sagemaker
    .on(ListModelPackagesCommand, { ModelApprovalStatus: 'Approved' })
    .resolves({ ModelPackageSummaryList: [] })
    .on(
      ListModelPackagesCommand,
      {
        ModelPackageGroupName: 'abalone-models',
        SortOrder: 'Descending',
        SortBy: 'CreationTime',
        MaxResults: 1,
      },
      true,
    )
    .resolves({
      ModelPackageSummaryList: [
        {
          ModelPackageArn: ARN,
          ModelApprovalStatus: 'PendingManualApproval',
          ModelPackageGroupName: 'abalone-models',
          ModelPackageStatus: 'Completed',
          CreationTime: new Date(0),
        },
      ],
    });
  const error = await findApprovedModelPackage(client(), 'abalone-models').catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(NoApprovedModelError);
  expect((error as Error).message).toBe(
    `model package group abalone-models has no Approved model package; the newest, ${ARN}, is PendingManualApproval. ` +
      `Approve it with \`npx mlops approve ${ARN}\` or \`aws sagemaker update-model-package --model-package-arn ${ARN} --model-approval-status Approved\`.`,
  );
});

test('an empty group says to run the pipeline first', async () => {
  sagemaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
  await expect(findApprovedModelPackage(client(), 'abalone-models')).rejects.toThrow(
    'model package group abalone-models has no model packages; run the pipeline first',
  );
});
