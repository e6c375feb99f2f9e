import { parseApprovalDispatch } from '../../../src/approval/dispatch-payload';
import { approvalRules } from '../../../src/approval/rules';
import { transformInput } from '../../../local/services/events/input-transformer';

const ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/abalone/7';
const event = {
  id: 'e-1',
  source: 'aws.sagemaker',
  detail: {
    ModelPackageArn: ARN,
    ModelPackageGroupName: 'abalone',
    ModelPackageVersion: 7,
  },
};
const reserved = {
  ruleName: 'r',
  ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r',
  ingestionTime: 't',
};

const transformed = (transition: string) => {
  const { input } = approvalRules('abalone').find((candidate) => candidate.transition === transition)!;
  return transformInput(
    { InputTransformer: { InputPathsMap: { ...input!.inputPathsMap }, InputTemplate: input!.inputTemplate } },
    event,
    reserved,
  );
};

test("the approved rule's input transformer yields the repository_dispatch body the deploy workflow reads", () => {
  expect(JSON.parse(transformed('approved'))).toEqual({
    event_type: 'model-approved',
    client_payload: { model_package_arn: ARN, model_package_group: 'abalone', event_id: 'e-1' },
  });
  expect(parseApprovalDispatch(transformed('rejected'))).toEqual({
    event: 'rejected',
    modelPackageArn: ARN,
    groupName: 'abalone',
    eventId: 'e-1',
  });
});

test('the pending-review rule gives the notifier the whole event: a transformer cannot compare metrics', () => {
  const pending = approvalRules('abalone').find((rule) => rule.transition === 'pending-review')!;
  expect(pending.target).toBe('notifier');
  expect(pending.input).toBeUndefined();
});

test.each([
  ['not JSON', '{', /not JSON/],
  [
    'a long event_type',
    JSON.stringify({ event_type: 'x'.repeat(101), client_payload: {} }),
    /1-100 characters/,
  ],
  [
    'too many payload keys',
    JSON.stringify({
      event_type: 'model-approved',
      client_payload: Object.fromEntries([...Array(11).keys()].map((key) => [`k${key}`, key])),
    }),
    /GitHub allows 10/,
  ],
  [
    'another event type',
    JSON.stringify({ event_type: 'deploy', client_payload: {} }),
    /expected model-approved or model-rejected/,
  ],
  [
    'an unversioned package',
    JSON.stringify({
      event_type: 'model-approved',
      client_payload: {
        model_package_arn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/solo',
        model_package_group: 'g',
      },
    }),
    /versioned model package ARN/,
  ],
])('refuses %s, saying what is expected', (_what, body, message) => {
  expect(() => parseApprovalDispatch(body)).toThrow(message);
});
