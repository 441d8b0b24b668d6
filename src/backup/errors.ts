// The errors of backups: a stable code per way a backup can go wrong, and the kind each edge
// answers (a missing backup is not found, a damaged one failed, a manifest that points outside
// its root is malformed).
import { PluginopsError } from '../errors/base.ts';
import type { ErrorKind } from '../errors/kinds.ts';

export type BackupErrorCode =
  | 'E_BACKUP_NOT_FOUND' // no backup with that id
  | 'E_BACKUP_CORRUPT' // a file differs from the manifest, is missing, or is not in it
  | 'E_BACKUP_UNSAFE' // a manifest naming a path outside its root, or through a link
  | 'E_BACKUP_VERSION' // made by a newer format or store layout than this code reads
  | 'E_BACKUP_CONFIG' // the backups folder inside what it backs up, or a bad schedule
  | 'E_BACKUP_BUSY' // a `serve` or a run uses the store a restore would replace
  | 'E_BACKUP_WRITE'; // the disk refused a write (full, read-only, …): nothing was left half-written

const kinds = {
  E_BACKUP_NOT_FOUND: 'not_found', E_BACKUP_CORRUPT: 'failed', E_BACKUP_UNSAFE: 'malformed', E_BACKUP_VERSION: 'conflict',
  E_BACKUP_CONFIG: 'invalid', E_BACKUP_BUSY: 'unavailable', E_BACKUP_WRITE: 'failed',
} as const satisfies Record<BackupErrorCode, ErrorKind>;

export class BackupError extends PluginopsError {
  override readonly name = 'BackupError';
  readonly kind: ErrorKind;

  constructor(readonly code: BackupErrorCode, message: string, readonly files: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kinds[code];
  }
}
