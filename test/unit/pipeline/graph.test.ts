import { readFileSync } from 'node:fs';

import { ABALONE_STEPS } from '../../../pipeline/abalone';
import { definitionGraph } from '../../../pipeline/graph';
import { abaloneDefaults, synthesizeAbalone } from '../../../pipeline/synth';

describe('definitionGraph', () => {
  it('lists the abalone steps flattened with their branch and every kind of edge once', () => {
    const graph = definitionGraph(synthesizeAbalone(abaloneDefaults()).definition);
    expect(graph.steps).toEqual([
      { name: 'Preprocess', type: 'Processing' },
      { name: 'Train', type: 'Training' },
      { name: 'Evaluate', type: 'Processing' },
      { name: 'DataQualityBaseline', type: 'Processing' },
      { name: 'CheckRmse', type: 'Condition' },
      { name: 'RegisterModel', type: 'RegisterModel', parent: { condition: 'CheckRmse', branch: 'if' } },
      { name: 'CreateModel', type: 'Model', parent: { condition: 'CheckRmse', branch: 'if' } },
      { name: 'RecordModelName', type: 'Lambda', parent: { condition: 'CheckRmse', branch: 'if' } },
      { name: 'RmseTooHigh', type: 'Fail', parent: { condition: 'CheckRmse', branch: 'else' } },
    ]);
    expect(graph.steps.map((step) => step.name).sort()).toEqual(Object.values(ABALONE_STEPS).sort());
    const edges = graph.edges.map(({ from, to, kind }) => `${from}->${to}:${kind}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        'Preprocess->Train:data',
        'Evaluate->CheckRmse:data',
        'CheckRmse->RmseTooHigh:branch',
        'RegisterModel->RecordModelName:depends',
        'Preprocess->DataQualityBaseline:data',
        'DataQualityBaseline->RegisterModel:data',
      ]),
    );
    expect(new Set(edges).size).toBe(edges.length);
    expect(edges.filter((edge) => edge.startsWith('Train->Evaluate'))).toEqual(['Train->Evaluate:data']);
  });

  it('follows nested conditions to any depth', () => {
    const definition: unknown = JSON.parse(
      readFileSync('/work/shared/reference/definitions/nested_conditions_31_deep_airflow.json', 'utf8'),
    );
    const graph = definitionGraph(definition);
    expect(graph.steps).toHaveLength(31);
    expect(graph.steps[1]).toEqual({
      name: 'DummyCond28',
      type: 'Condition',
      parent: { condition: 'DummyCond29', branch: 'if' },
    });
    expect(graph.edges).toHaveLength(30);
    expect(graph.edges.every((edge) => edge.kind === 'branch')).toBe(true);
  });

  it('leaves out references to steps that do not exist', () => {
    const definition = {
      Steps: [
        {
          Name: 'A',
          Type: 'Fail',
          Arguments: { ErrorMessage: { Get: 'Steps.Missing.Outcome' } },
          DependsOn: ['Gone'],
        },
      ],
    };
    expect(definitionGraph(definition)).toEqual({ steps: [{ name: 'A', type: 'Fail' }], edges: [] });
  });
});
