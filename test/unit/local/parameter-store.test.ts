import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ParameterStore } from '../../../local/services/ssm/parameter-store';
import { StateStore } from '../../../local/state/store';

let root: string;
let parameters: ParameterStore;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'parameter-store-'));
  parameters = new ParameterStore(new StateStore(root), 'arn:aws:ssm:us-east-1:000000000000:parameter/');
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('ParameterStore', () => {
  it('keeps the last 100 versions', () => {
    parameters.putParameter({ Name: '/v/p', Value: '1', Type: 'String' });
    for (let i = 2; i <= 105; i++)
      parameters.putParameter({ Name: '/v/p', Value: String(i), Overwrite: true });
    const history = parameters.history('/v/p');
    expect(history).toHaveLength(100);
    expect(history[0]?.Version).toBe(6);
    expect(parameters.getParameter('/v/p').Version).toBe(105);
    expect(() => parameters.getParameter('/v/p:5')).toThrow('could not find version 5 of /v/p');
  });

  it('reads by ARN (hierarchical and flat names)', () => {
    parameters.putParameter({ Name: '/a/b', Value: 'deep', Type: 'String' });
    parameters.putParameter({ Name: 'flat', Value: 'top', Type: 'String' });
    expect(parameters.getParameter('arn:aws:ssm:us-east-1:000000000000:parameter/a/b').Value).toBe('deep');
    expect(parameters.getParameter('arn:aws:ssm:us-east-1:000000000000:parameter/flat').Value).toBe('top');
    expect(parameters.getParameter('flat').ARN).toBe('arn:aws:ssm:us-east-1:000000000000:parameter/flat');
  });

  it.each([
    ['relative/name', 'ParameterPatternMismatchException', 'must be fully qualified'],
    ['/has space', 'ParameterPatternMismatchException', 'use only letters, digits'],
    ['/SSM/x', 'ValidationException', 'can\'t be prefixed with "aws" or "ssm"'],
    [`/${Array(16).fill('l').join('/')}`, 'HierarchyLevelLimitExceededException', 'at most 15'],
  ])('refuses the name %s', (name, code, message) => {
    expect(() => parameters.putParameter({ Name: name, Value: 'v', Type: 'String' })).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining(message) }),
    );
  });

  it('enforces AllowedPattern on every later write', () => {
    parameters.putParameter({ Name: '/num', Value: '1', Type: 'String', AllowedPattern: '^\\d+$' });
    expect(() => parameters.putParameter({ Name: '/num', Value: 'x', Overwrite: true })).toThrow(
      'does not match its AllowedPattern',
    );
  });

  it('refuses values over 4 KB and unknown types', () => {
    expect(() => parameters.putParameter({ Name: '/big', Value: 'x'.repeat(4097), Type: 'String' })).toThrow(
      '4097 characters',
    );
    expect(() => parameters.putParameter({ Name: '/t', Value: 'v', Type: 'Number' as never })).toThrow(
      'Type "Number" is invalid',
    );
  });
});
