/** One problem in a definition: where (JSON path) and why. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

export const issue = (path: string, message: string): ValidationIssue => ({ path, message });
