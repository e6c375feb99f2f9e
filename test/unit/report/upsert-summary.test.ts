import { diffDefinitions } from '../../../pipeline/diff';
import {
  renderDefinitionChanges,
  renderDefinitionComment,
  renderUpsertSummary,
} from '../../../src/report/upsert-summary';

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

test('the PR comment section says why there is nothing to compare, so an old diff never lingers', () => {
  expect(renderDefinitionComment({ pipelineName: 'p', upsert: created })).toBe(
    '## Pipeline `p`\n\nCreated; no base definition was given to compare with.',
  );
  expect(
    renderDefinitionComment({ pipelineName: 'p', upsert: { ...created, created: false, changed: false } }),
  ).toContain('The deployed definition is unchanged');
  expect(
    renderDefinitionComment({
      pipelineName: 'p',
      upsert: created,
      comparison: { against: 'x', diff: diffDefinitions(definition(3.5), definition(3)) },
    }),
  ).toContain('## Pipeline `p`\n\n### Definition changes against x\n\n1 parameter changed.');
});
