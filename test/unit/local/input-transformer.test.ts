import { inputProblem, readPath, transformInput } from '../../../local/services/events/input-transformer';

const event = { id: 'e', detail: { name: 'a "quoted" name', n: 3, list: [{ x: 1 }], obj: { k: 'v' } } };
const reserved = {
  ruleName: 'rule-1',
  ruleArn: 'arn:aws:events:us-east-1:1:rule/rule-1',
  ingestionTime: 'T',
};
const transform = (InputTemplate: string, InputPathsMap: Record<string, string> = {}) =>
  transformInput({ InputTransformer: { InputPathsMap, InputTemplate } }, event, reserved);

test('a variable outside quotes is inserted as JSON, inside quotes as escaped string content', () => {
  const paths = { name: '$.detail.name', n: '$.detail.n', obj: '$.detail.obj' };
  expect(JSON.parse(transform('{"name": <name>, "n": <n>, "obj": <obj>}', paths))).toEqual({
    name: 'a "quoted" name',
    n: 3,
    obj: { k: 'v' },
  });
  expect(JSON.parse(transform('"<name> has <n> (rule <aws.events.rule-name>)"', paths))).toBe(
    'a "quoted" name has 3 (rule rule-1)',
  );
});

test('missing paths give null outside quotes and nothing inside; Input and InputPath work as documented', () => {
  expect(JSON.parse(transform('{"m": <m>, "s": "[<m>]"}', { m: '$.detail.missing' }))).toEqual({
    m: null,
    s: '[]',
  });
  expect(transformInput({ Input: '{"fixed":true}' }, event, reserved)).toBe('{"fixed":true}');
  expect(JSON.parse(transformInput({ InputPath: '$.detail.list[0]' }, event, reserved))).toEqual({ x: 1 });
  expect(JSON.parse(transformInput({}, event, reserved))).toEqual(event);
  expect(readPath(event, '$.detail.list[0].x')).toBe(1);
});

test('PutTargets-time checks name the problem', () => {
  expect(inputProblem({ Input: '{}', InputPath: '$' })).toMatch(
    /Only one of Input, InputPath or InputTransformer/,
  );
  expect(inputProblem({ Input: 'nope' })).toMatch(/Input is not valid JSON/);
  expect(
    inputProblem({ InputTransformer: { InputPathsMap: { 'a b': '$.x' }, InputTemplate: '<a b>' } }),
  ).toMatch(/InputPathsMap key a b is not valid/);
  expect(inputProblem({ InputTransformer: { InputPathsMap: { a: 'x' }, InputTemplate: '<a>' } })).toMatch(
    /must be a JSONPath starting with \$/,
  );
});
