import * as core from '@actions/core';

import { describeTransition } from '../report/progress';
import type { Reporter } from '../report/reporter';

/** The Reporter over the runner's log: log groups per finished step, warnings as annotations. */
export const actionReporter: Reporter = {
  info: (message) => core.info(message),
  warning: (message, title) => core.warning(message, title ? { title } : {}),
  group: (title, lines) => {
    core.startGroup(title);
    for (const line of lines) core.info(line);
    core.endGroup();
  },
  stepTransition: (transition) => {
    const { headline, details } = describeTransition(transition);
    if (!transition.terminal || details.length === 0) {
      core.info(details.length > 0 ? `${headline} — ${details.join('; ')}` : headline);
      return;
    }
    core.startGroup(headline);
    for (const line of details) core.info(line);
    core.endGroup();
  },
};
