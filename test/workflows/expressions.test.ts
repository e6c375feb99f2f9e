import {
  evaluateCondition,
  evaluateExpression,
  evaluateTemplate,
  ExpressionError,
  interpolate,
  type EvaluationScope,
  type StatusFunctions,
  type Value,
} from './replay/expressions';
import { parseFileCommand } from './replay/file-commands';

const contexts: Record<string, Value> = {
  github: {
    event_name: 'push',
    ref: 'refs/heads/main',
    sha: 'abc123',
    event: { pull_request: { base: { sha: 'base1' } } },
  },
  steps: { 'wait-run': { outputs: { status: 'Succeeded', 'model-package-arn': 'arn:pkg/1' } } },
  needs: { train: { result: 'success', outputs: { 'execution-arn': 'arn:exec' } } },
  inputs: { 'dry-run': false, count: 3, name: 'abalone' },
  vars: { AWS_REGION: 'eu-west-1' },
  env: { STACK: 'abalone-endpoint' },
  list: ['Staging', 'production'],
};

const scope: EvaluationScope = { contexts };

function status(failed: boolean): StatusFunctions {
  return { success: () => !failed, failure: () => failed, cancelled: () => false };
}

describe('evaluateExpression', () => {
  it.each<[string, Value]>([
    ["steps.wait-run.outputs.status == 'succeeded'", true],
    ["steps['wait-run'].outputs['model-package-arn']", 'arn:pkg/1'],
    ['needs.train.outputs.execution-arn', 'arn:exec'],
    ['github.event.pull_request.base.sha', 'base1'],
    ['GITHUB.EVENT_NAME', 'push'],
    ['vars.MISSING', null],
    ['steps.nope.outputs.x', null],
    ["inputs.dry-run || 'fallback'", 'fallback'],
    ["inputs.name && 'set'", 'set'],
    ['!inputs.dry-run', true],
    ['inputs.count > 2 && inputs.count <= 3', true],
    ["inputs.count == '3'", true],
    ['null == 0', true],
    ["'' == false", true],
    ["contains(list, 'STAGING')", true],
    ["contains('Hello world', 'WORLD')", true],
    ["startsWith(github.ref, 'refs/heads/')", true],
    ["endsWith(github.ref, '/MAIN')", true],
    ["format('{0}-{1}{{x}}', env.STACK, 'staging')", 'abalone-endpoint-staging{x}'],
    ["join(list, ', ')", 'Staging, production'],
    ['fromJSON(\'{"a":[1,2]}\').a[1]', 2],
    ['toJSON(inputs.count)', '3'],
    ["'it''s'", "it's"],
    ['0x10 == 16', true],
    ["(inputs.count == 3 || false) && github.sha != ''", true],
  ])('%s → %j', (expression, expected) => {
    expect(evaluateExpression(expression, scope)).toEqual(expected);
  });

  it.each([
    ['matrix.os', "context 'matrix' is not available"],
    ["hashFiles('**/package-lock.json')", 'function hashFiles() is not supported'],
    ['steps.x.outputs.*', "unsupported character '*'"],
    ["'unterminated", 'unterminated string'],
    ['inputs.count ==', 'unexpected end of expression'],
    ['(inputs.count', "expected ')'"],
    ['inputs.count 3', 'unexpected trailing input'],
    ['success()', 'only allowed in an if: condition'],
    ["format('{1}', 'a')", 'has no argument {1}'],
  ])('rejects %s', (expression, reason) => {
    expect(() => evaluateExpression(expression, scope)).toThrow(ExpressionError);
    expect(() => evaluateExpression(expression, scope)).toThrow(reason);
  });
});

describe('interpolate and evaluateTemplate', () => {
  it('replaces each ${{ }} with its string form', () => {
    expect(
      interpolate('${{ env.STACK }}-${{ inputs.count }} ${{ inputs.dry-run }} [${{ vars.NONE }}]', scope),
    ).toBe('abalone-endpoint-3 false []');
  });

  it("honours '}}' inside a string literal", () => {
    expect(interpolate("x${{ format('{0}}}', 'a') }}y", scope)).toBe('xa}y');
  });

  it('keeps the type of a lone expression and stringifies mixed text', () => {
    expect(evaluateTemplate('${{ inputs.count }}', scope)).toBe(3);
    expect(evaluateTemplate(' ${{ inputs.dry-run }} ', scope)).toBe(false);
    expect(evaluateTemplate('n=${{ inputs.count }}', scope)).toBe('n=3');
  });

  it('fails on an unterminated ${{', () => {
    expect(() => interpolate('a ${{ env.STACK', scope)).toThrow('unterminated ${{');
  });
});

describe('evaluateCondition', () => {
  it('implies success() unless a status function is used', () => {
    const failedScope = { contexts, status: status(true) };
    expect(evaluateCondition(undefined, failedScope)).toBe(false);
    expect(evaluateCondition("vars.AWS_REGION == 'eu-west-1'", failedScope)).toBe(false);
    expect(evaluateCondition('${{ always() }}', failedScope)).toBe(true);
    expect(evaluateCondition('failure()', failedScope)).toBe(true);
    expect(
      evaluateCondition("${{ vars.AWS_REGION == 'eu-west-1' }}", { contexts, status: status(false) }),
    ).toBe(true);
    expect(evaluateCondition(false, { contexts, status: status(false) })).toBe(false);
  });
});

describe('parseFileCommand', () => {
  it('reads name=value lines and heredoc blocks', () => {
    const text = 'a=1\nsummary<<EOF_1\nline one\nline=two\nEOF_1\nempty=\n';
    expect(parseFileCommand(text, 'GITHUB_OUTPUT')).toEqual({
      a: '1',
      summary: 'line one\nline=two',
      empty: '',
    });
  });

  it('names the file and the bad line', () => {
    expect(() => parseFileCommand('oops\n', 'GITHUB_ENV')).toThrow('GITHUB_ENV: expected name=value');
    expect(() => parseFileCommand('x<<END\nno end\n', 'GITHUB_OUTPUT')).toThrow("no closing delimiter 'END'");
  });
});
