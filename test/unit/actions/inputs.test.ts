import { InputError, Inputs } from '../../../src/actions/inputs';
import { readPollBounds } from '../../../src/actions/wait-for-execution/inputs';

const inputs = (values: Record<string, string>) => new Inputs((name) => values[name] ?? '');

test('required and patterned inputs name the input, the value and what is expected', () => {
  expect(() => inputs({}).required('stack-name', 'a stack name')).toThrow(
    new InputError('stack-name', 'is required; expected a stack name'),
  );
  expect(() => inputs({ a: 'x y' }).matching('a', /^\w+$/, 'a word')).toThrow(
    'Input "a": expected a word; got "x y"',
  );
  expect(inputs({}).matching('a', /^\w+$/, 'a word')).toBeUndefined();
});

test('booleans accept YAML 1.2 forms only', () => {
  expect(inputs({ a: 'True' }).boolean('a', false)).toBe(true);
  expect(inputs({ a: 'false' }).boolean('a', true)).toBe(false);
  expect(inputs({}).boolean('a', true)).toBe(true);
  expect(() => inputs({ a: 'yes' }).boolean('a', true)).toThrow(
    'Input "a": expected true or false; got "yes"',
  );
});

test('numbers: fractions, bounds, whole numbers; no hex, no trailing text', () => {
  const rule = { above: 0, expected: 'minutes > 0' };
  expect(inputs({ t: '0.05' }).number('t', rule, 120)).toBe(0.05);
  expect(inputs({}).number('t', rule, 120)).toBe(120);
  for (const bad of ['0', '-1', '1e999', '0x10', '5 minutes', 'NaN']) {
    expect(() => inputs({ t: bad }).number('t', rule)).toThrow(
      `Input "t": expected minutes > 0; got "${bad}"`,
    );
  }
  expect(() =>
    inputs({ n: '1.5' }).number('n', { atLeast: 1, integer: true, expected: 'a whole number' }),
  ).toThrow('expected a whole number');
});

test('maps come as YAML or JSON; lists and scalars are refused', () => {
  expect(inputs({ m: 'a: 1\nb: "x, y"' }).map('m')).toEqual({ a: 1, b: 'x, y' });
  expect(inputs({ m: '{"a": true}' }).stringMap('m')).toEqual({ a: 'true' });
  expect(() => inputs({ m: '[1]' }).map('m')).toThrow('Input "m": expected a YAML or JSON map');
  expect(() => inputs({ m: 'a: [1' }).map('m')).toThrow('it does not parse');
  expect(() => inputs({ m: 'a: {b: 1}' }).stringMap('m')).toThrow(
    'the value of "a" must be a string, number or boolean',
  );
});

test('lists split on commas, spaces and new lines', () => {
  expect(inputs({ l: 'A, B\nC D' }).list('l')).toEqual(['A', 'B', 'C', 'D']);
  expect(inputs({}).list('l', ['X'])).toEqual(['X']);
});

test('poll bounds: one number or min-max, fractions allowed', () => {
  expect(readPollBounds('10')).toEqual({ minSeconds: 10, maxSeconds: 10 });
  expect(readPollBounds('0.5-2')).toEqual({ minSeconds: 0.5, maxSeconds: 2 });
  expect(readPollBounds('5, 30')).toEqual({ minSeconds: 5, maxSeconds: 30 });
  for (const bad of ['0', '30-5', 'fast', '-1-5'])
    expect(() => readPollBounds(bad)).toThrow('Input "poll-interval-seconds"');
});
