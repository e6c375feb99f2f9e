/** Exit codes of every `mlops` command (documented in the README and in `--help`). */
export const EXIT = {
  ok: 0,
  /** The pipeline, the quality gate, a deployment or a validation failed. */
  failed: 1,
  /** Bad input or setup: a flag, a file, a missing prerequisite or credential. */
  badInput: 2,
  /** Stopped by Ctrl-C / SIGTERM. */
  interrupted: 130,
} as const;
