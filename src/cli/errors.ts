// Errors the CLI knows how to explain, and the exit codes it documents.
import { PluginopsError } from '../errors/base.ts';
import type { ErrorKind } from '../errors/kinds.ts';

export const exitCodes = {
  success: 0,
  failed: 1,
  usage: 2,
  interrupted: 3,
  /** The request was understood and refused: a decision not allowed, a run that cannot be retried or must wait its turn. */
  refused: 4,
  /** The run waits for an approval (`pluginops approve RUN`). */
  waiting: 75,
  timedOut: 124,
  cancelled: 130,
  internal: 70,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/**
 * Each kind of error as the exit code it ends the CLI with. A name the documents do not define is a
 * mistake in what was typed (usage); a record that is not there is a failure.
 */
export const exitCodeOf = {
  usage: exitCodes.usage, not_defined: exitCodes.usage, malformed: exitCodes.failed, invalid: exitCodes.failed,
  not_found: exitCodes.failed, conflict: exitCodes.failed, refused: exitCodes.refused, forbidden: exitCodes.refused,
  unacceptable: exitCodes.refused, unauthorized: exitCodes.refused, unavailable: exitCodes.failed, failed: exitCodes.failed,
  cancelled: exitCodes.cancelled, waiting: exitCodes.waiting, internal: exitCodes.internal,
} as const satisfies Record<ErrorKind, ExitCode>;

/** A mistake on the command line (by default), or another error told in the CLI's own words. */
export class CliError extends PluginopsError {
  constructor(readonly code: string, message: string, readonly kind: ErrorKind = 'usage') { super(message); }
  get exitCode(): ExitCode { return exitCodeOf[this.kind]; }
}
