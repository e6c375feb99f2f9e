import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { findPython } from '../../../local/runtimes/python';

/**
 * requirements.txt is what GitHub-hosted runners install from PyPI; machines without PyPI keep using
 * Debian's packages. Both must give the pipeline's steps the same library versions, so the Python the
 * local AWS picks (Debian's here, setup-python's on a hosted runner) has to match every pin exactly.
 */

const REQUIREMENTS = join(__dirname, '..', '..', '..', 'requirements.txt');

function pins(): Array<[string, string]> {
  return readFileSync(REQUIREMENTS, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .map((line) => {
      const match = /^([A-Za-z0-9_.-]+)==([0-9][0-9A-Za-z.]*)$/.exec(line);
      if (!match?.[1] || !match[2])
        throw new Error(`requirements.txt: '${line}' is not pinned as name==version`);
      return [match[1], match[2]];
    });
}

describe('requirements.txt', () => {
  it('pins the versions of SageMaker’s containers (XGBoost 1.7, scikit-learn 1.2.1)', () => {
    expect(Object.fromEntries(pins())).toEqual(
      expect.objectContaining({ xgboost: expect.stringMatching(/^1\.7\./), 'scikit-learn': '1.2.1' }),
    );
  });

  it('is satisfied by the Python the local AWS runs the steps with', () => {
    const python = findPython();
    const probe = spawnSync(
      python,
      [
        '-c',
        'import importlib.metadata as m, json, sys; print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))',
        ...pins().map(([name]) => name),
      ],
      { encoding: 'utf8' },
    );
    expect(probe.stderr).toBe('');
    expect(JSON.parse(probe.stdout)).toEqual(Object.fromEntries(pins()));
  });
});
