// Errors the CLI knows how to explain, and the exit codes it documents.

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

export class CliError extends Error {
  constructor(readonly code: string, message: string, readonly exitCode: number = exitCodes.usage) { super(message); }
}
