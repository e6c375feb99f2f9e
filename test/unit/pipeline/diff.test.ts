import { diffDefinitions, formatDiff } from '../../../pipeline/diff';
import { abaloneDefaults, synthesizeAbalone } from '../../../pipeline/synth';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const base = (): Json => JSON.parse(JSON.stringify(synthesizeAbalone(abaloneDefaults()).definition));

describe('diffDefinitions', () => {
  it('finds no differences between equal definitions', () => {
    const diff = diffDefinitions(base(), base());
    expect(diff).toEqual({ identical: true, parameters: [], steps: [], other: [] });
    expect(formatDiff(diff)).toBe('No differences.\n');
  });

  it('reports changed keys per step with paths, matching named lists by name', () => {
    const after = base();
    after.Steps[1].Arguments.HyperParameters.eta = '0.3';
    after.Steps[2].Arguments.ProcessingInputs.reverse();
    after.Steps[2].Arguments.ProcessingInputs[0].S3Input.S3Uri = 's3://other/evaluate.py';
    delete after.Steps[0].Description;
    const diff = diffDefinitions(base(), after);
    expect(diff.steps).toEqual([
      {
        name: 'Preprocess',
        status: 'changed',
        type: 'Processing',
        changes: [{ path: 'Description', kind: 'removed', before: expect.any(String) }],
      },
      {
        name: 'Train',
        status: 'changed',
        type: 'Training',
        changes: [{ path: 'Arguments.HyperParameters.eta', kind: 'changed', before: '0.2', after: '0.3' }],
      },
      {
        name: 'Evaluate',
        status: 'changed',
        type: 'Processing',
        changes: [
          {
            path: 'Arguments.ProcessingInputs[InputName=code].S3Input.S3Uri',
            kind: 'changed',
            before: expect.stringMatching(/evaluate\.py$/),
            after: 's3://other/evaluate.py',
          },
        ],
      },
    ]);
  });

  it('reports added, removed and moved steps and changed parameters', () => {
    const after = base();
    const gate = after.Steps[4].Arguments;
    gate.ElseSteps.push(gate.IfSteps.pop()); // RecordModelName moves to the else branch
    after.Steps.splice(1, 1); // Train removed
    after.Parameters[8].DefaultValue = 2.5;
    after.Parameters.push({ Name: 'Extra', Type: 'Boolean', DefaultValue: true });
    const diff = diffDefinitions(base(), after);
    expect(diff.parameters).toEqual([
      {
        name: 'RmseThreshold',
        status: 'changed',
        type: 'Float',
        changes: [{ path: 'DefaultValue', kind: 'changed', before: 3, after: 2.5 }],
      },
      { name: 'Extra', status: 'added', type: 'Boolean', changes: [] },
    ]);
    expect(diff.steps.map(({ name, status }) => `${status} ${name}`)).toEqual([
      'removed Train',
      'changed CheckRmse',
      'changed RecordModelName',
    ]);
    const text = formatDiff(diff);
    expect(text).toContain('  - Train (Training)\n');
    expect(text).toContain('      ~ (placement): "IfSteps of CheckRmse" → "ElseSteps of CheckRmse"\n');
    expect(text).toContain('      - Arguments.IfSteps[2]: "RecordModelName"\n');
    expect(text).toContain('  ~ RmseThreshold (Float)\n      ~ DefaultValue: 3 → 2.5\n');
  });

  it('treats expressions as values and reports top-level members', () => {
    const after = base();
    after.PipelineExperimentConfig.TrialName = { Get: 'Execution.PipelineExecutionArn' };
    expect(diffDefinitions(base(), after).other).toEqual([
      {
        path: 'PipelineExperimentConfig.TrialName',
        kind: 'changed',
        before: { Get: 'Execution.PipelineExecutionId' },
        after: { Get: 'Execution.PipelineExecutionArn' },
      },
    ]);
  });
});
