// Mistakes people make when they talk to remediation (feedback on an incident, a breaker reset):
// typed errors with a stable code and a message that says what was found and what was expected.
// Only the CLI and the API decide what an error means for an exit code or a status.
import { PluginopsError } from '../errors/base.ts';
import type { ErrorKind } from '../errors/kinds.ts';

export type RemediationErrorCode =
  | 'E_UNKNOWN_INCIDENT'
  | 'E_NO_REMEDIATION'
  | 'E_FEEDBACK_INVALID'
  | 'E_RESET_INVALID';

export interface FieldProblem {
  field: string;
  message: string;
}

/** An unknown incident is not found; one without a remediation cannot take feedback; bad fields are invalid. */
const kinds: Record<RemediationErrorCode, ErrorKind> = {
  E_UNKNOWN_INCIDENT: 'not_found', E_NO_REMEDIATION: 'conflict', E_FEEDBACK_INVALID: 'invalid', E_RESET_INVALID: 'invalid',
};

export class RemediationError extends PluginopsError {
  override name = 'RemediationError';
  readonly kind: ErrorKind;
  constructor(readonly code: RemediationErrorCode, message: string, readonly problems: FieldProblem[] = []) {
    super(message);
    this.kind = kinds[code];
  }
}

/** Problems with what a remediation document or the project's `remediation:` says, collected. */
export class RemediationConfigError extends PluginopsError {
  readonly code = 'E_REMEDIATION_CONFIG';
  readonly kind = 'invalid';
  override name = 'RemediationConfigError';
  constructor(readonly problems: string[]) {
    super(`the remediation configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
