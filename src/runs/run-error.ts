// Why a run service refused or could not go on: the codes scripts branch on, each with the kind
// the edges answer.
import { PluginopsError } from '../errors/base.ts';
import type { ErrorKind } from '../errors/kinds.ts';

/**
 * Why a run was refused: another run holds its concurrency key; no such run; it cannot be
 * retried in its state; the process is stopping (runs/supervisor.ts); the plugin directory it
 * names does not exist (`detail.field` names the request's field, `detail.problem` what is
 * wrong with it).
 */
export type RunErrorCode = 'E_CONCURRENCY' | 'E_NOT_FOUND' | 'E_NOT_RETRYABLE' | 'E_STOPPING' | 'E_NO_PLUGIN_DIRECTORY';

/** No such run is not found; a key that is taken, or a retry of a run that did not fail, is refused. */
const runErrorKinds: Record<RunErrorCode, ErrorKind> = {
  E_CONCURRENCY: 'refused', E_NOT_FOUND: 'not_found', E_NOT_RETRYABLE: 'refused', E_STOPPING: 'unavailable', E_NO_PLUGIN_DIRECTORY: 'invalid',
};

export class RunError extends PluginopsError {
  readonly kind: ErrorKind;
  constructor(readonly code: RunErrorCode, message: string, readonly detail?: Record<string, unknown>) {
    super(message);
    this.kind = runErrorKinds[code];
  }
}

/** A run that ended before it was recorded: a mistake in pluginops, not something the caller asked. */
export class RunNotRecordedError extends PluginopsError {
  readonly code = 'E_NOT_RECORDED';
  readonly kind = 'internal';
  override name = 'RunNotRecordedError';
}
