// The errors of `pluginops store export|import`, each with a stable code and the kind the CLI
// turns into its exit code: an archive it cannot read (1), a store it may not write now (4).
import { PluginopsError, type ErrorLocation } from '../../errors/base.ts';
import type { ErrorKind } from '../../errors/kinds.ts';

export type TransferErrorCode =
  | 'E_ARCHIVE_FORMAT' // not an archive, or one of another version
  | 'E_ARCHIVE_LINE' // a line that is not JSON, or not an item of the archive
  | 'E_ARCHIVE_TRUNCATED' // no end line: the archive was cut short
  | 'E_ARCHIVE_COUNTS' // the end line's counts differ from the items read: lines are missing
  | 'E_STORE_SOURCE' // the store to export cannot be read (no such store, an unreadable file)
  | 'E_STORE_BUSY' // a live `serve` owns the embedded store to import into
  | 'E_TRANSFER_CANCELLED';

const kinds: Record<TransferErrorCode, ErrorKind> = {
  E_ARCHIVE_FORMAT: 'invalid', E_ARCHIVE_LINE: 'invalid', E_ARCHIVE_TRUNCATED: 'invalid', E_ARCHIVE_COUNTS: 'invalid',
  E_STORE_SOURCE: 'failed', E_STORE_BUSY: 'refused', E_TRANSFER_CANCELLED: 'cancelled',
};

export class ArchiveError extends PluginopsError {
  override readonly name = 'ArchiveError';
  readonly kind: ErrorKind;
  readonly #at: ErrorLocation | undefined;

  constructor(readonly code: TransferErrorCode, message: string, at?: ErrorLocation) {
    super(message);
    this.kind = kinds[code];
    this.#at = at;
  }

  override get location(): ErrorLocation | undefined { return this.#at; }
}
