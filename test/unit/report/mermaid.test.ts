import { renderMermaid, type GraphInput } from '../../../src/report/mermaid';

const graph: GraphInput = {
  steps: [
    { name: 'Train', type: 'Training' },
    { name: 'Check "rmse"', type: 'Condition' },
    { name: 'Register', type: 'RegisterModel', parent: { branch: 'if' } },
    { name: 'TooHigh', type: 'Fail', parent: { branch: 'else' } },
    { name: 'Record', type: 'Lambda', parent: { branch: 'if' } },
  ],
  edges: [
    { from: 'Train', to: 'Check "rmse"', kind: 'data' },
    { from: 'Check "rmse"', to: 'Register', kind: 'branch' },
    { from: 'Check "rmse"', to: 'TooHigh', kind: 'branch' },
    { from: 'Register', to: 'Record', kind: 'depends' },
  ],
};

test('draws each step with a shape for its type and each edge by kind', () => {
  const text = renderMermaid(graph);
  expect(text.split('\n')).toEqual([
    'flowchart TD',
    '  s0["Train<br/><small>Training</small>"]',
    '  s1{"Check #quot;rmse#quot;<br/><small>Condition</small>"}',
    '  s2["Register<br/><small>RegisterModel</small>"]',
    '  s3[["TooHigh<br/><small>Fail</small>"]]',
    '  s4(["Record<br/><small>Lambda</small>"])',
    '  s0 --> s1',
    '  s1 -- if --> s2',
    '  s1 -- else --> s3',
    '  s2 -.-> s4',
  ]);
});

test('colours steps by status and marks steps without a status as not run', () => {
  const statuses = new Map([
    ['Train', 'Succeeded'],
    ['Check "rmse"', 'Succeeded'],
    ['Register', 'Failed'],
    ['Record', 'Executing'],
  ]);
  const text = renderMermaid(graph, { statuses, notes: new Map([['Train', '4.2s']]) });
  expect(text).toContain('s0["Train<br/><small>Training · 4.2s</small>"]');
  expect(text).toContain('  class s0,s1 succeeded');
  expect(text).toContain('  class s2 failed');
  expect(text).toContain('  class s4 running');
  expect(text).toContain('  class s3 notrun');
  expect(text).toMatch(/classDef failed fill:#ffe3e3/);
});

test('labels cannot break out of their quotes', () => {
  const text = renderMermaid({ steps: [{ name: 'a"]; click s0 "x', type: 'Processing' }], edges: [] });
  expect(text).toContain('s0["a#quot;]; click s0 #quot;x<br/>');
});
