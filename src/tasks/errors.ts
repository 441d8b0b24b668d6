// Mistakes in steering tasks and workers: typed errors with a stable code; the API and the CLI
// answer them from their kind.
import { PluginopsError } from '../errors/base.ts';
import type { ErrorKind } from '../errors/kinds.ts';

export type TaskErrorCode =
  | 'E_UNKNOWN_TASK'
  | 'E_UNKNOWN_WORKER'
  | 'E_TASK_STATE'
  | 'E_STALE_CLAIM'
  | 'E_WORKER_NAME_TAKEN'
  | 'E_NOT_FOR_WORKERS'
  | 'E_WORKER_ONLINE';

const kinds: Record<TaskErrorCode, ErrorKind> = {
  E_UNKNOWN_TASK: 'not_found', E_UNKNOWN_WORKER: 'not_found', E_TASK_STATE: 'conflict',
  E_STALE_CLAIM: 'conflict', E_WORKER_NAME_TAKEN: 'conflict', E_NOT_FOR_WORKERS: 'invalid', E_WORKER_ONLINE: 'conflict',
};

export class TaskError extends PluginopsError {
  override name = 'TaskError';
  readonly kind: ErrorKind;
  constructor(readonly code: TaskErrorCode, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.kind = kinds[code];
  }
}
