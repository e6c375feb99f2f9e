import { cell, codeBlock, inlineCode, table } from '../../../src/report/markdown';

test('table cells escape pipes, angle brackets and new lines', () => {
  expect(
    table(
      ['A', 'B'],
      [
        ['x|y', '<b>\nnext'],
        [undefined, 3],
      ],
    ),
  ).toBe(['| A | B |', '| --- | --- |', '| x\\|y | &lt;b&gt;<br>next |', '| — | 3 |'].join('\n'));
  expect(cell('')).toBe('—');
});

test('a code block fence is longer than any backtick run inside it', () => {
  expect(codeBlock('text', 'a ``` b')).toBe('````text\na ``` b\n````');
  expect(codeBlock('json', '{}\n')).toBe('```json\n{}\n```');
});

test('inline code survives backticks', () => {
  expect(inlineCode('arn')).toBe('`arn`');
  expect(inlineCode('a`b')).toBe('`` a`b ``');
});
