import * as path from 'node:path';

import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';

import { LocalGitHub } from '../../../src/approval/local-github';
import { reviewLocally, type LocalReviewResult, type ReviewStatus } from '../../../src/approval/local-review';
import { servingModelPackage } from '../../../src/deploy/serving-package';
import { silentReporter } from '../../../src/report/reporter';
import { resolveRunConfig } from '../../../src/run/config';
import { StageTimer } from '../../../src/run/stages';
import { buildAbaloneModel } from '../endpoints/abalone-model';
import { modelDataUrl, uploadModels } from '../endpoints/hosting';
import { XGBOOST_IMAGE, startTestAws, type TestAws } from '../endpoints/local-aws';

jest.setTimeout(120_000);

const GROUP = 'approval-loop-models';
const STACK = 'approval-loop-endpoint';

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
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
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

const register = (sagemaker: SageMakerClient) =>
  sagemaker
    .send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: GROUP,
        InferenceSpecification: {
          Containers: [{ Image: XGBOOST_IMAGE, ModelDataUrl: modelDataUrl('abalone') }],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
      }),
    )
    .then((created) => created.ModelPackageArn!);

const review = (modelPackageArn: string, status: ReviewStatus, description: string) =>
  reviewLocally(context, { modelPackageArn, status, description });

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
  const first = await register(t.sagemaker);

  const approvedFirst = onlyRun(await review(first, 'Approved', 'first model, reviewed'));
  expect(approvedFirst.dispatch).toMatchObject({
    event: 'approved',
    modelPackageArn: first,
    groupName: GROUP,
  });
  expect(approvedFirst.decision.kind).toBe('deploy');
  expect(approvedFirst.stackChanged).toBe(true);
  expect(await serving()).toBe(first);
  expect(await stackTags()).toMatchObject({
    'mlops:model-package-arn': first,
    'mlops:approval-description': 'first model  reviewed',
  });

  // The rules are in place now: registering a package tells the approvers (kept on disk).
  const registeredAt = new Date().toISOString();
  const second = await register(t.sagemaker);
  const mail = new LocalGitHub(t.stateDir).notifications(GROUP, registeredAt);
  expect(mail).toHaveLength(1);
  expect(JSON.parse(mail[0]!.Message)).toContain(
    `Model package ${second} (version 2 of ${GROUP}) awaits review.`,
  );

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
});
