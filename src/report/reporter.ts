import type { StepTransition } from './progress';

/**
 * How core logic tells a person what is happening. The actions implement it over @actions/core (log
 * groups, annotations), the CLI over a terminal; core modules never know which.
 */
export interface Reporter {
  info(message: string): void;
  warning(message: string, title?: string): void;
  /** A collapsible block: a log group on GitHub, an indented block on a terminal. */
  group(title: string, lines: readonly string[]): void;
  /** A pipeline step changed status (called once per transition). */
  stepTransition(transition: StepTransition): void;
}

/** A reporter that drops everything (for callers that only want the result). */
export const silentReporter: Reporter = {
  info: () => undefined,
  warning: () => undefined,
  group: () => undefined,
  stepTransition: () => undefined,
};
