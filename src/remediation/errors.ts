// Mistakes people make when they talk to remediation (feedback on an incident, a breaker reset):
// typed errors with a stable code and a message that says what was found and what was expected.
// Only the CLI and the API decide what an error means for an exit code or a status.
export type RemediationErrorCode =
  | 'E_UNKNOWN_INCIDENT'
  | 'E_NO_REMEDIATION'
  | 'E_FEEDBACK_INVALID'
  | 'E_RESET_INVALID';

export interface FieldProblem {
  field: string;
  message: string;
}

export class RemediationError extends Error {
  override name = 'RemediationError';
  constructor(readonly code: RemediationErrorCode, message: string, readonly problems: FieldProblem[] = []) {
    super(message);
  }
}

/** Problems with what a remediation document or the project's `remediation:` says, collected. */
export class RemediationConfigError extends Error {
  override name = 'RemediationConfigError';
  constructor(readonly problems: string[]) {
    super(`the remediation configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
