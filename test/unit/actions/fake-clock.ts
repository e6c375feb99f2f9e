import type { Clock } from '../../../src/aws/clock';
import type { StepTransition } from '../../../src/report/progress';
import type { Reporter } from '../../../src/report/reporter';

/** Virtual time: sleeping advances the clock at once and is recorded, so long waits run instantly. */
export function fakeClock(start = 1_700_000_000_000): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

export function recordingReporter(): Reporter & {
  lines: string[];
  warnings: string[];
  transitions: StepTransition[];
} {
  const lines: string[] = [];
  const warnings: string[] = [];
  const transitions: StepTransition[] = [];
  return {
    lines,
    warnings,
    transitions,
    info: (message) => lines.push(message),
    warning: (message) => warnings.push(message),
    group: (title, groupLines) => lines.push(title, ...groupLines),
    stepTransition: (transition) => transitions.push(transition),
  };
}
