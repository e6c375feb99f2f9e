import { diffDefinitions } from '../../../pipeline/diff';
import { renderDefinitionChanges, renderUpsertSummary } from '../../../src/report/upsert-summary';

const definition = (threshold: number) => ({
  Version: '2020-12-01',
  Parameters: [{ Name: 'RmseThreshold', Type: 'Float', DefaultValue: threshold }],
  Steps: [{ Name: 'Gate', Type: 'Fail', Arguments: { ErrorMessage: 'x' } }],
});
const created = {
  pipelineArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/p',
  created: true,
  changed: true,
  differences: [],
};

test('changes against a given base show even when the pipeline was just created', () => {
  const text = renderUpsertSummary({
    pipelineName: 'p',
    definition: definition(3),
    upsert: created,
    comparison: { against: 'the base branch `main`', diff: diffDefinitions(definition(3.5), definition(3)) },
  });
  expect(text).toContain('## SageMaker pipeline `p` created');
  expect(text).toContain('### Definition changes against the base branch `main`\n\n1 parameter changed.');
  expect(text).toContain('~ RmseThreshold (Float)\n      ~ DefaultValue: 3.5 → 3');
});

test('identical definitions say so; without a comparison there is no changes section', () => {
  expect(renderDefinitionChanges({ against: 'x', diff: diffDefinitions(definition(3), definition(3)) })).toBe(
    '### Definition changes against x\n\nNo differences.',
  );
  expect(
    renderUpsertSummary({ pipelineName: 'p', definition: definition(3), upsert: created }),
  ).not.toContain('Definition changes');
});
