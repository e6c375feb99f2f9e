import { EventPatternMatcher } from '../../../local/services/events/pattern';

/** Cases from EventBridge's "Event patterns" and "Content filtering" user-guide pages. */
const event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'SageMaker Model Package State Change',
  source: 'aws.sagemaker',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:sagemaker:us-west-1:111122223333:model-package/abalone/2'],
  detail: {
    ModelPackageGroupName: 'abalone',
    ModelPackageVersion: 2,
    ModelApprovalStatus: 'Approved',
    ModelPackageStatus: 'Completed',
    CertifyForMarketplace: false,
    ApprovalDescription: null,
    InferenceSpecification: { Containers: [{ Image: 'xgboost:1.7-1' }, { Image: 'sklearn:1.2-1' }] },
    Metrics: { rmse: 2.25 },
    Tags: ['team-a', 'prod'],
  },
};

const matches = (pattern: unknown, subject: unknown = event) =>
  EventPatternMatcher.parse(JSON.stringify(pattern)).matches(subject);
const detail = (fields: Record<string, unknown>) => ({ detail: fields });

describe('exact and structural matching', () => {
  it('matches when every field of the pattern has one of its values, ignoring fields it does not name', () => {
    expect(
      matches({ source: ['aws.sagemaker'], 'detail-type': ['SageMaker Model Package State Change'] }),
    ).toBe(true);
    expect(matches({ source: ['aws.ec2', 'aws.sagemaker'] })).toBe(true);
    expect(matches({ source: ['aws.ec2'] })).toBe(false);
  });

  it('is case-sensitive and type-sensitive: "2" is not 2, numbers compare numerically', () => {
    expect(matches(detail({ ModelApprovalStatus: ['approved'] }))).toBe(false);
    expect(matches(detail({ ModelPackageVersion: ['2'] }))).toBe(false);
    expect(matches(detail({ ModelPackageVersion: [2.0] }))).toBe(true);
    expect(matches(detail({ CertifyForMarketplace: [false] }))).toBe(true);
    expect(matches(detail({ ApprovalDescription: [null] }))).toBe(true);
  });

  it('matches nested fields, and an array in the event when any element matches', () => {
    expect(matches(detail({ InferenceSpecification: { Containers: { Image: ['sklearn:1.2-1'] } } }))).toBe(
      true,
    );
    expect(matches(detail({ Tags: ['prod'] }))).toBe(true);
    expect(matches({ resources: ['arn:aws:sagemaker:us-west-1:111122223333:model-package/abalone/2'] })).toBe(
      true,
    );
    expect(matches(detail({ Metrics: { mae: [1] } }))).toBe(false);
  });

  it('does not match a field that is missing from the event', () => {
    expect(matches(detail({ Missing: ['x'] }))).toBe(false);
    expect(matches({ nothere: { deeper: ['x'] } })).toBe(false);
  });
});

describe('content filters', () => {
  it('prefix and suffix, on nested fields too, and with equals-ignore-case', () => {
    expect(
      matches({ resources: [{ prefix: 'arn:aws:sagemaker:us-west-1:111122223333:model-package/abalone/' }] }),
    ).toBe(true);
    expect(
      matches(detail({ InferenceSpecification: { Containers: { Image: [{ prefix: 'xgboost:' }] } } })),
    ).toBe(true);
    expect(
      matches(detail({ InferenceSpecification: { Containers: { Image: [{ prefix: 'pytorch' }] } } })),
    ).toBe(false);
    expect(matches(detail({ ModelPackageGroupName: [{ suffix: 'lone' }] }))).toBe(true);
    expect(matches(detail({ ModelPackageGroupName: [{ prefix: { 'equals-ignore-case': 'ABA' } }] }))).toBe(
      true,
    );
    expect(matches(detail({ ModelApprovalStatus: [{ 'equals-ignore-case': 'APPROVED' }] }))).toBe(true);
    // prefix applies to strings only
    expect(matches(detail({ ModelPackageVersion: [{ prefix: '2' }] }))).toBe(false);
  });

  it('anything-but: a value, a list, a prefix — and never a missing field', () => {
    expect(matches(detail({ ModelApprovalStatus: [{ 'anything-but': 'Rejected' }] }))).toBe(true);
    expect(matches(detail({ ModelApprovalStatus: [{ 'anything-but': ['Approved', 'Rejected'] }] }))).toBe(
      false,
    );
    expect(matches(detail({ ModelPackageVersion: [{ 'anything-but': [1, 3] }] }))).toBe(true);
    expect(matches(detail({ ModelPackageGroupName: [{ 'anything-but': { prefix: 'aba' } }] }))).toBe(false);
    expect(matches(detail({ ModelPackageGroupName: [{ 'anything-but': { suffix: 'xyz' } }] }))).toBe(true);
    expect(
      matches(
        detail({
          InferenceSpecification: { Containers: { Image: [{ 'anything-but': { prefix: 'xgb' } }] } },
        }),
      ),
    ).toBe(true); // the sklearn container matches
    expect(matches(detail({ Missing: [{ 'anything-but': 'x' }] }))).toBe(false);
  });

  it('numeric ranges apply to numbers only', () => {
    expect(matches(detail({ Metrics: { rmse: [{ numeric: ['<', 3] }] } }))).toBe(true);
    expect(matches(detail({ Metrics: { rmse: [{ numeric: ['>', 0, '<=', 2.25] }] } }))).toBe(true);
    expect(matches(detail({ Metrics: { rmse: [{ numeric: ['>', 2.25] }] } }))).toBe(false);
    expect(matches(detail({ ModelPackageVersion: [{ numeric: ['=', 2] }] }))).toBe(true);
    expect(matches(detail({ ModelPackageGroupName: [{ numeric: ['>', 0] }] }))).toBe(false);
  });

  it('exists: true on a present leaf, false on a missing one', () => {
    expect(matches(detail({ ModelApprovalStatus: [{ exists: true }] }))).toBe(true);
    expect(matches(detail({ ModelApprovalStatus: [{ exists: false }] }))).toBe(false);
    expect(matches(detail({ Missing: [{ exists: false }] }))).toBe(true);
    expect(matches(detail({ Missing: [{ exists: true }] }))).toBe(false);
    expect(matches(detail({ Metrics: { mae: [{ exists: false }] } }))).toBe(true);
  });

  it('wildcard and $or', () => {
    expect(matches({ resources: [{ wildcard: 'arn:aws:sagemaker:*:model-package/abalone/*' }] })).toBe(true);
    expect(
      matches(
        detail({
          $or: [{ ModelApprovalStatus: ['Rejected'] }, { Metrics: { rmse: [{ numeric: ['<', 2.5] }] } }],
        }),
      ),
    ).toBe(true);
    expect(
      matches(detail({ $or: [{ ModelApprovalStatus: ['Rejected'] }, { ModelPackageVersion: [1] }] })),
    ).toBe(false);
  });
});

describe('invalid patterns are refused with InvalidEventPatternException, as PutRule does', () => {
  it.each([
    ['not JSON', '{source:'],
    ['a leaf that is not an array', JSON.stringify({ source: 'aws.sagemaker' })],
    ['an empty array', JSON.stringify({ source: [] })],
    ['an unknown match type', JSON.stringify({ source: [{ 'starts-with': 'aws' }] })],
    ['a numeric operator typo', JSON.stringify({ detail: { n: [{ numeric: ['=>', 1] }] } })],
    ['a prefix that is not a string', JSON.stringify({ source: [{ prefix: 1 }] })],
    ['an empty pattern', '{}'],
  ])('%s', (_what, text) => {
    expect(() => EventPatternMatcher.parse(text)).toThrow(
      expect.objectContaining({ code: 'InvalidEventPatternException' }),
    );
  });
});
