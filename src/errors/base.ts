// The one base of pluginops' errors: a stable `code` that scripts branch on (messages are for
// people and may change), a `kind` that the edges answer (see kinds.ts), and where it is known, the
// place in a file it concerns. Subclasses keep their own names, fields and messages.
import type { ErrorKind } from './kinds.ts';

/** A place in a file; any part may be unknown (an expression knows its column only). */
export interface ErrorLocation {
  file?: string;
  line?: number;
  col?: number;
}

export abstract class PluginopsError extends Error {
  /** Stable, `E_` and upper-case words: `E_PARAMETER`, `E_NOT_FOUND`. */
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;
  /** Set by errors that concern one place in a file. */
  get location(): ErrorLocation | undefined { return undefined; }
}
