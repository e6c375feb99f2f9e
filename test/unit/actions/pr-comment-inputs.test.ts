import * as core from '@actions/core';

import { Inputs } from '../../../src/actions/inputs';
import { readPrCommentInputs } from '../../../src/actions/pr-comment';

describe('github-token', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each([['true'], ['false']])('is masked in the log (pr-comment %s)', (prComment) => {
    const setSecret = jest.spyOn(core, 'setSecret').mockImplementation(() => undefined);
    const values: Record<string, string> = { 'pr-comment': prComment, 'github-token': 'ghs_secret' };
    readPrCommentInputs(new Inputs((name) => values[name] ?? ''));
    expect(setSecret).toHaveBeenCalledWith('ghs_secret');
  });
});
