import { TERMINAL_STEP_STATUSES, type StepView } from '../pipeline/steps';
import { formatDuration } from './format';

/** A step changed status since the last poll. */
export interface StepTransition {
  readonly step: StepView;
  /** The status seen before, or undefined for a step seen for the first time. */
  readonly from?: string;
  readonly to: string;
  readonly terminal: boolean;
}

/** Remembers each step's last status so every transition is reported exactly once. */
export class StepProgress {
  private readonly seen = new Map<string, string>();

  observe(steps: readonly StepView[]): StepTransition[] {
    const transitions: StepTransition[] = [];
    for (const step of steps) {
      const from = this.seen.get(step.name);
      if (from === step.status) continue;
      this.seen.set(step.name, step.status);
      transitions.push({
        step,
        ...(from !== undefined ? { from } : {}),
        to: step.status,
        terminal: TERMINAL_STEP_STATUSES.has(step.status),
      });
    }
    return transitions;
  }
}

const STATUS_ICONS: Readonly<Record<string, string>> = {
  Starting: '⏳',
  Executing: '▶',
  Stopping: '⏹',
  Stopped: '⏹',
  Failed: '✖',
  Succeeded: '✔',
};

export function statusIcon(status: string): string {
  return STATUS_ICONS[status] ?? '•';
}

/** A transition as a headline plus detail lines (what a log group holds). */
export function describeTransition(transition: StepTransition): { headline: string; details: string[] } {
  const { step } = transition;
  const duration = transition.terminal ? ` (${formatDuration(step.durationSeconds)})` : '';
  const headline = `${statusIcon(step.status)} ${step.name}: ${step.status}${duration}`;
  const details: string[] = [];
  if (step.kind) details.push(`type: ${step.kind}`);
  if (step.resourceArn) details.push(`resource: ${step.resourceArn}`);
  if (step.attempts !== undefined && step.attempts > 1) details.push(`attempts: ${step.attempts}`);
  if (step.cacheSource) details.push(`cache hit: reused the result of ${step.cacheSource}`);
  if (step.failureReason) details.push(`failure reason: ${step.failureReason}`);
  const outcome = step.metadata?.Condition?.Outcome;
  if (outcome) details.push(`outcome: ${outcome}`);
  return { headline, details };
}
