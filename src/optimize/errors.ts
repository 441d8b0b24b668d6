// Mistakes people make when they steer optimization (apply, dismiss): typed errors with a stable
// code and a message that says what was found and what was expected. The API and the CLI decide
// what they mean for a status or an exit code, from the kind.
import { PluginopsError } from '../errors/base.ts';
import type { ErrorKind } from '../errors/kinds.ts';

export type OptimizationErrorCode =
  | 'E_UNKNOWN_SUGGESTION'
  | 'E_SUGGESTION_STATE'
  | 'E_STALE_ETAG'
  | 'E_PLUGIN_BUSY'
  | 'E_COOLDOWN'
  | 'E_NOT_APPLICABLE';

const kinds: Record<OptimizationErrorCode, ErrorKind> = {
  E_UNKNOWN_SUGGESTION: 'not_found', E_SUGGESTION_STATE: 'conflict', E_STALE_ETAG: 'conflict',
  E_PLUGIN_BUSY: 'conflict', E_COOLDOWN: 'conflict', E_NOT_APPLICABLE: 'conflict',
};

export class OptimizationError extends PluginopsError {
  override name = 'OptimizationError';
  readonly kind: ErrorKind;
  constructor(readonly code: OptimizationErrorCode, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.kind = kinds[code];
  }
}
