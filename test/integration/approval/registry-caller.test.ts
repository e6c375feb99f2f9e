import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';

import {
  DELIVERY_COLLECTIONS,
  listDeliveries,
  type SnsDelivery,
} from '../../../local/services/events/deliveries';
import { StateStore } from '../../../local/state/store';
import { AWS_CLIS, runAwsCli } from '../local/aws-cli';
import { useLocalAws } from '../local/harness';

const harness = useLocalAws();
const GROUP = 'caller-models';
// AWS CLI v1: its botocore knows UserContext.IamIdentity (Debian's v2.9 predates it and drops it).
const CLI = AWS_CLIS[0];

const sagemaker = async (accessKeyId: string, args: string[]) => {
  const result = await runAwsCli(CLI, harness.aws().endpoint, ['sagemaker', ...args], { accessKeyId });
  if (result.code !== 0) throw new Error(`aws sagemaker ${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout || '{}') as Record<string, unknown>;
};

const iamUser = (name: string) => ({
  IamIdentity: {
    Arn: `arn:aws:iam::000000000000:user/${name}`,
    PrincipalId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/) as unknown,
  },
});

test('the registry records who registered and who approved from the SigV4 access key id, and the event carries it', async () => {
  const events = harness.client(EventBridgeClient);
  await events.send(
    new PutRuleCommand({
      Name: 'caller-watch',
      EventPattern: JSON.stringify({
        source: ['aws.sagemaker'],
        detail: { ModelPackageGroupName: [GROUP], ModelApprovalStatus: ['Approved'] },
      }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: 'caller-watch',
      Targets: [
        {
          Id: 'topic',
          Arn: 'arn:aws:sns:us-east-1:000000000000:caller-topic',
          InputTransformer: {
            InputPathsMap: { by: '$.detail.LastModifiedBy.IamIdentity.Arn' },
            InputTemplate: '"approved by <by>"',
          },
        },
      ],
    }),
  );
  await sagemaker('alice', ['create-model-package-group', '--model-package-group-name', GROUP]);
  const { ModelPackageArn: arn } = await sagemaker('alice', [
    'create-model-package',
    '--model-package-group-name',
    GROUP,
    '--inference-specification',
    JSON.stringify({
      Containers: [{ Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1' }],
      SupportedContentTypes: ['text/csv'],
      SupportedResponseMIMETypes: ['text/csv'],
    }),
  ]);
  const registered = await sagemaker('bob', ['describe-model-package', '--model-package-name', String(arn)]);
  expect(registered.CreatedBy).toEqual(iamUser('alice'));
  expect(registered.LastModifiedBy).toBeUndefined();

  await sagemaker('bob', [
    'update-model-package',
    '--model-package-arn',
    String(arn),
    '--model-approval-status',
    'Approved',
  ]);
  const approved = await sagemaker('alice', ['describe-model-package', '--model-package-name', String(arn)]);
  expect(approved.CreatedBy).toEqual(registered.CreatedBy);
  expect(approved.LastModifiedBy).toEqual(iamUser('bob'));
  const principal = (user: unknown) =>
    (user as { IamIdentity: { PrincipalId: string } }).IamIdentity.PrincipalId;
  expect(principal(approved.LastModifiedBy)).not.toBe(principal(approved.CreatedBy));

  const mail = listDeliveries<SnsDelivery>(
    new StateStore(harness.aws().stateDir),
    DELIVERY_COLLECTIONS.sns('caller-topic'),
  );
  expect(mail.map((delivery) => delivery.Message)).toEqual([
    '"approved by arn:aws:iam::000000000000:user/bob"',
  ]);
}, 60_000);

test('mlops approve --target aws prints who the registry recorded as approver, and the description', async () => {
  const { ModelPackageArn: arn } = await harness.client(SageMakerClient).send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: GROUP,
      InferenceSpecification: {
        Containers: [{ Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1' }],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
    }),
  );
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.join(__dirname, '../../../bin/mlops.js'),
      'approve',
      String(arn),
      '--target',
      'aws',
      '--description',
      'RMSE 2.07 vs 2.31',
    ],
    {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: harness.aws().endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'carol',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
      timeout: 30_000,
    },
  );
  expect(stdout).toContain(`Approved ${String(arn)}`);
  expect(stdout).toContain('  recorded by: arn:aws:iam::000000000000:user/carol');
  expect(stdout).toContain('  description: RMSE 2.07 vs 2.31');
}, 60_000);
