// An error that ends the action, in GitHub's terms: the job fails with the error's code and
// message, the `status` output says how it ended, and document diagnostics become annotations at
// their file, line and column (main.ts emits them with the rest).
import { InvalidDocumentsError, type Diagnostic } from '../documents/diagnostics.ts';
import { PluginopsError } from '../errors/base.ts';
import type { ErrorKind } from '../errors/kinds.ts';
import type { ExecutionStatus } from '../store/types.ts';

/** The `status` output after an error of each kind: no run came to its end, so each is `failed`. */
export const statusOf = {
  usage: 'failed', not_defined: 'failed', malformed: 'failed', invalid: 'failed', not_found: 'failed',
  conflict: 'failed', refused: 'failed', forbidden: 'failed', unacceptable: 'failed', unauthorized: 'failed',
  unavailable: 'failed', failed: 'failed', cancelled: 'failed', waiting: 'failed', internal: 'failed',
} as const satisfies Record<ErrorKind, ExecutionStatus>;

export interface ActionFailure {
  /** For `setFailed`: the code first, then the message. */
  message: string;
  status: ExecutionStatus;
  /** The places to annotate. */
  diagnostics: Diagnostic[];
}

export function failureOf(e: unknown): ActionFailure {
  if (!(e instanceof PluginopsError)) return { message: e instanceof Error ? e.message : String(e), status: statusOf.internal, diagnostics: [] };
  return { message: `${e.code}: ${e.message}`, status: statusOf[e.kind], diagnostics: e instanceof InvalidDocumentsError ? e.diagnostics : [] };
}
