import { describeTransition, type StepTransition } from '../report/progress';
import type { Reporter } from '../report/reporter';
import type { Terminal } from './terminal';

/**
 * The core logic's Reporter over a terminal: finished steps become permanent lines, running steps the
 * live status line (a spinner on a TTY, a plain line per change elsewhere).
 */
export function terminalReporter(
  terminal: Terminal,
  options: { verbose?: boolean; startedAt?: number } = {},
): Reporter {
  const startedAt = options.startedAt ?? Date.now();
  const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)}s`;
  return {
    info: (message) => terminal.line(`  ${message}`),
    warning: (message, title) => terminal.line(`  warning: ${title ? `${title}: ` : ''}${message}`),
    group: (title, lines) => {
      if (!options.verbose) return;
      terminal.line(`  ${title}`);
      for (const line of lines) terminal.line(`    ${line}`);
    },
    stepTransition: (transition: StepTransition) => {
      const { headline, details } = describeTransition(transition);
      const line = `  [${elapsed().padStart(6)}] ${headline}`;
      if (!transition.terminal) return terminal.status(line);
      terminal.line(line);
      for (const detail of details.filter(
        (text) => text.startsWith('failure reason') || text.startsWith('cache hit'),
      )) {
        terminal.line(`             ${detail}`);
      }
    },
  };
}
