import * as path from 'node:path';

import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  UpdateModelPackageCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';

import { localNotifications, runLocalNotifier } from '../../../src/approval/local-notifier';
import { handler as notifierLambda } from '../../../src/lambda/review-notifier';
import { reviewLocally, type LocalReviewResult, type ReviewStatus } from '../../../src/approval/local-review';
import { servingModelPackage } from '../../../src/deploy/serving-package';
import { silentReporter } from '../../../src/report/reporter';
import { resolveRunConfig } from '../../../src/run/config';
import { StageTimer } from '../../../src/run/stages';
import { buildAbaloneModel } from '../endpoints/abalone-model';
import { MODELS_BUCKET, modelDataUrl, uploadModels } from '../endpoints/hosting';
import { XGBOOST_IMAGE, startTestAws, type TestAws } from '../endpoints/local-aws';

jest.setTimeout(120_000);

const GROUP = 'approval-loop-models';
const STACK = 'approval-loop-endpoint';
// The local AWS takes the SigV4 access key id as the IAM user who signs (local/core/caller.ts).
const APPROVER = 'alice';
const APPROVER_ARN = `arn:aws:iam::000000000000:user/${APPROVER}`;

let t: TestAws;
let context: Parameters<typeof reviewLocally>[0];

const quietTerminal = {
  line: () => undefined,
  status: () => undefined,
  done: () => undefined,
  interactive: false,
};

beforeAll(async () => {
  t = await startTestAws();
  const model = await buildAbaloneModel(path.join(t.dir, 'model'), 20);
  await uploadModels(t, { abalone: { file: model.modelTarGz } });
  await t.sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: GROUP }));
  const config = resolveRunConfig(
    { target: 'local', modelPackageGroup: GROUP, stackName: STACK, buildDir: path.join(t.dir, 'build') },
    { env: {} },
  );
  context = {
    config,
    clientOptions: {
      endpoint: t.aws.endpoint,
      region: t.aws.region,
      credentials: { accessKeyId: APPROVER, secretAccessKey: 'local' },
    },
    reporter: silentReporter,
    stages: new StageTimer(quietTerminal),
    signal: new AbortController().signal,
    stateDir: t.stateDir,
  };
});

afterAll(async () => {
  await t?.stop();
});

/** Registers a package with an evaluation report of the pipeline's shape (evaluate.py's evaluation.json). */
const register = async (sagemaker: SageMakerClient, rmse: number) => {
  const key = `reports/rmse-${rmse}/evaluation.json`;
  await t.s3.send(
    new PutObjectCommand({
      Bucket: MODELS_BUCKET,
      Key: key,
      Body: JSON.stringify({
        regression_metrics: { rmse: { value: rmse, standard_deviation: 0.5 }, mse: { value: rmse ** 2 } },
      }),
    }),
  );
  const created = await sagemaker.send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: GROUP,
      InferenceSpecification: {
        Containers: [{ Image: XGBOOST_IMAGE, ModelDataUrl: modelDataUrl('abalone') }],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
      ModelMetrics: {
        ModelQuality: {
          Statistics: { ContentType: 'application/json', S3Uri: `s3://${MODELS_BUCKET}/${key}` },
        },
      },
    }),
  );
  return created.ModelPackageArn!;
};

/** What the approvers got: the local notifier runs the rule's pending invocations (as the Lambda would). */
const notifications = () =>
  runLocalNotifier({
    stateDir: t.stateDir,
    clientOptions: context.clientOptions,
    groupName: GROUP,
    stackName: STACK,
  });

const review = (modelPackageArn: string, status: ReviewStatus, description: string) =>
  reviewLocally(context, { modelPackageArn, status, description });

let packages: { first: string; second: string } | undefined;

const serving = () => servingModelPackage({ cloudformation: t.cfn, sagemaker: t.sagemaker }, STACK);

const stackTags = async () => {
  const { Stacks } = await t.cfn.send(new DescribeStacksCommand({ StackName: STACK }));
  return Object.fromEntries((Stacks?.[0]?.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
};

/** The single workflow run an approval or rejection caused, through the event and the dispatch. */
const onlyRun = (result: LocalReviewResult) => {
  expect(result.runs).toHaveLength(1);
  return result.runs[0]!.outcome;
};

test('approve → deploy, approve another → replace, reject it → roll back, repeated approval → no change', async () => {
  const first = await register(t.sagemaker, 2.31);

  const approvedFirst = onlyRun(await review(first, 'Approved', 'first model, reviewed'));
  expect(approvedFirst.dispatch).toMatchObject({
    event: 'approved',
    modelPackageArn: first,
    groupName: GROUP,
  });
  expect(approvedFirst.decision.kind).toBe('deploy');
  expect(approvedFirst.stackChanged).toBe(true);
  expect(await serving()).toBe(first);
  // Who approved, recorded by the registry from the request's credential, reaches the summary and tags.
  expect(approvedFirst.decision).toMatchObject({ package: { approvedBy: APPROVER_ARN } });
  expect(await stackTags()).toMatchObject({
    'mlops:model-package-arn': first,
    'mlops:approved-by': APPROVER_ARN,
    'mlops:approval-description': 'first model  reviewed',
  });

  // The rules are in place now: registering a package tells the approvers what to review, against
  // what serves (kept on disk: the e-mail they would get).
  const registeredAt = new Date().toISOString();
  const second = await register(t.sagemaker, 2.07);
  packages = { first, second };
  const published = await notifications();
  expect(published).toHaveLength(1);
  expect(published[0]!.Subject).toBe(`Review model ${GROUP} v2: RMSE 2.07 vs 2.31 deployed`);
  const message = published[0]!.Message;
  expect(message).toContain(`Model package ${second} (version 2 of ${GROUP}) awaits review.`);
  expect(message).toContain(`Its metrics against the deployed model ${first} (stack ${STACK}):`);
  expect(message).toContain('  rmse: 2.07 vs 2.31 deployed (better, -0.24, -10.4%)');
  expect(message).toContain(`npx mlops approve ${second} --description "<why>"`);
  expect(message).toContain(`--model-package-arn ${second} --model-approval-status Rejected`);
  // Kept on disk as the approvers' topic's delivery, and sent once.
  expect(localNotifications(t.stateDir, GROUP, registeredAt).map((n) => n.Message)).toEqual([message]);
  expect(await notifications()).toEqual([]);

  const approvedSecond = onlyRun(await review(second, 'Approved', 'second model'));
  expect(approvedSecond.decision).toMatchObject({ kind: 'deploy', package: { arn: second } });
  expect(await serving()).toBe(second);

  const rejectedSecond = onlyRun(await review(second, 'Rejected', 'drifts on new data'));
  expect(rejectedSecond.decision).toMatchObject({ kind: 'deploy', package: { arn: first } });
  expect(rejectedSecond.decision.reason).toContain('rolling back');
  expect(await serving()).toBe(first);

  const before = (await t.cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0]
    ?.LastUpdatedTime;
  const repeated = onlyRun(await review(first, 'Approved', 'first model, reviewed'));
  expect(repeated.decision).toEqual({
    kind: 'no-op',
    reason: `${first} already serves; nothing to deploy (a repeated approval event)`,
  });
  expect(repeated.stackChanged).toBeUndefined();
  const after = (await t.cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0]
    ?.LastUpdatedTime;
  expect(after).toEqual(before);
  expect(await serving()).toBe(first);

  // Rejecting a package that does not serve changes nothing.
  const rejectedAgain = onlyRun(await review(second, 'Rejected', 'still no'));
  expect(rejectedAgain.decision.kind).toBe('no-op');
  expect(await serving()).toBe(first);

  // A worse package: the next mlops approve|reject runs the notifier first, against what serves then.
  const third = await register(t.sagemaker, 2.5);
  const rejectedThird = await review(third, 'Rejected', 'worse than what serves');
  expect(rejectedThird.notifications).toHaveLength(1);
  expect(rejectedThird.notifications[0]).toContain(`Its metrics against the deployed model ${first}`);
  expect(rejectedThird.notifications[0]).toContain('  rmse: 2.5 vs 2.31 deployed (worse, +0.19, 8.2%)');
  expect(onlyRun(rejectedThird).decision.kind).toBe('no-op');
  expect(await serving()).toBe(first);

  // One decided before the local notifier ran (as mlops run approves its own package) awaits no review.
  const decided = await register(t.sagemaker, 2.2);
  await t.sagemaker.send(
    new UpdateModelPackageCommand({ ModelPackageArn: decided, ModelApprovalStatus: 'Rejected' }),
  );
  expect(await notifications()).toEqual([]);
});

test('the notifier Lambda (the AWS path) publishes the same message to the topic, with the AWS commands', async () => {
  const { first, second } = packages!;
  const sns = mockClient(SNSClient);
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  const saved = { ...process.env };
  Object.assign(process.env, {
    TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:approvers',
    ENDPOINT_STACK_NAME: STACK,
    AWS_ENDPOINT_URL: t.aws.endpoint,
    AWS_REGION: t.aws.region,
    AWS_ACCESS_KEY_ID: 'notifier',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  try {
    const event = { region: 'us-east-1', detail: { ModelPackageArn: second } };
    expect(await notifierLambda(event)).toEqual({
      subject: `Review model ${GROUP} v2: RMSE 2.07 vs 2.31 deployed`,
    });
    const published = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:approvers',
      Subject: `Review model ${GROUP} v2: RMSE 2.07 vs 2.31 deployed`,
    });
    expect(published[0]!.Message).toContain(`Its metrics against the deployed model ${first}`);
    expect(published[0]!.Message).toContain(`npx mlops approve ${second} --description "<why>" --target aws`);
    await expect(notifierLambda({ detail: {} })).rejects.toThrow(/no detail.ModelPackageArn/);
  } finally {
    process.env = saved;
    sns.restore();
  }
});
