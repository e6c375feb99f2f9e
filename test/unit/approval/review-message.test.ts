import { reviewMessage, type ReviewFacts } from '../../../src/approval/review-message';

const NEW = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/abalone/8';
const OLD = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/abalone/5';

const report = (rmse: number, r2: number, mae: number) => ({
  'regression_metrics.rmse.value': rmse,
  'regression_metrics.rmse.standard_deviation': 0.4,
  'regression_metrics.r2.value': r2,
  'regression_metrics.mae.value': mae,
});

const facts = (overrides: Partial<ReviewFacts> = {}): ReviewFacts => ({
  groupName: 'abalone',
  candidate: {
    arn: NEW,
    version: 8,
    reportUri: 's3://b/p/e8/Evaluate/evaluation/evaluation.json',
    metrics: report(2.07, 0.55, 1.5),
  },
  serving: {
    arn: OLD,
    version: 5,
    reportUri: 's3://b/p/e5/Evaluate/evaluation/evaluation.json',
    metrics: report(2.31, 0.49, 1.5),
  },
  stackName: 'abalone-endpoint-production',
  target: 'aws',
  region: 'us-east-1',
  ...overrides,
});

test('compares every headline metric with the deployed package, saying which way is better', () => {
  const { subject, text } = reviewMessage(facts());
  expect(subject).toBe('Review model abalone v8: RMSE 2.07 vs 2.31 deployed');
  expect(text).toContain(`Model package ${NEW} (version 8 of abalone) awaits review.`);
  expect(text).toContain(
    `Its metrics against the deployed model ${OLD} (stack abalone-endpoint-production):`,
  );
  expect(text).toContain('  rmse: 2.07 vs 2.31 deployed (better, -0.24, -10.4%)');
  expect(text).toContain('  r2: 0.55 vs 0.49 deployed (better, +0.06, 12.2%)');
  expect(text).toContain('  mae: 1.5 vs 1.5 deployed (the same)');
  expect(text).not.toContain('standard_deviation');
  expect(text).toContain('Evaluation report: s3://b/p/e8/Evaluate/evaluation/evaluation.json');
});

test('a worse candidate is called worse', () => {
  const worse = facts({ candidate: { ...facts().candidate, metrics: report(2.5, 0.4, 1.7) } });
  const { text } = reviewMessage(worse);
  expect(text).toContain('  rmse: 2.5 vs 2.31 deployed (worse, +0.19, 8.2%)');
  expect(text).toContain('  r2: 0.4 vs 0.49 deployed (worse, -0.09, -18.4%)');
});

test('says how to approve or reject: the mlops commands and the AWS CLI call, for the target in use', () => {
  const { text } = reviewMessage(facts());
  expect(text).toContain(`npx mlops approve ${NEW} --description "<why>" --target aws`);
  expect(text).toContain(`npx mlops reject ${NEW} --description "<why>" --target aws`);
  expect(text).toContain(
    `aws sagemaker update-model-package --model-package-arn ${NEW} --model-approval-status Approved --approval-description "<why>" --region us-east-1`,
  );
  expect(text).toContain('--model-approval-status Rejected');
  const local = reviewMessage(facts({ target: 'local' })).text;
  expect(local).toContain(`npx mlops approve ${NEW} --description "<why>"\n`);
  expect(local).not.toContain('--target aws');
});

test('when nothing serves yet it says so and lists the package’s own metrics', () => {
  const { subject, text } = reviewMessage(facts({ serving: undefined }));
  expect(subject).toBe('Review model abalone v8: RMSE 2.07, nothing deployed yet');
  expect(text).toContain('No model is deployed yet');
  expect(text).toContain('  rmse: 2.07');
});

test('a report that could not be read is named, and the message still goes out', () => {
  const { text } = reviewMessage(
    facts({
      serving: { arn: OLD, metricsProblem: 's3://b/x.json could not be read (AccessDenied)' },
    }),
  );
  expect(text).toContain('  rmse: 2.07 vs n/a deployed');
  expect(text).toContain(
    '(No metrics for the deployed package: s3://b/x.json could not be read (AccessDenied).)',
  );
});

test('the subject stays within what SNS accepts: printable ASCII, at most 100 characters', () => {
  const { subject } = reviewMessage(facts({ groupName: `g${'é'.repeat(150)}` }));
  expect(subject.length).toBeLessThanOrEqual(100);
  expect(subject).toMatch(/^[\x20-\x7e]+$/);
});
