// Typed errors of the execution store: a stable code the CLI can map to a message or exit code.
import { PluginopsError } from '../errors/base.ts';
import type { ErrorKind } from '../errors/kinds.ts';

export type StoreErrorCode =
  | 'E_STORE_UNWRITABLE' // the store directory or one of its files cannot be created or written
  | 'E_BAD_ID' // an execution id that is not a safe file name
  | 'E_NOT_FOUND' // no execution with that id
  | 'E_EXISTS' // `create` with an id that is already taken
  | 'E_LOCKED'; // another process held an execution's lock for too long

const kinds: Record<StoreErrorCode, ErrorKind> = {
  E_STORE_UNWRITABLE: 'failed', E_BAD_ID: 'malformed', E_NOT_FOUND: 'not_found', E_EXISTS: 'failed', E_LOCKED: 'failed',
};

export class StoreError extends PluginopsError {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  readonly kind: ErrorKind;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.kind = kinds[code];
  }
}

/** The OS reason of a failed file operation ("ENOTDIR: not a directory, mkdir '…'"). */
export function osReason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Keeps a StoreError as it is; wraps any other failure as E_STORE_UNWRITABLE naming `path`. */
export function asStoreError(err: unknown, path: string): StoreError {
  if (err instanceof StoreError) return err;
  return new StoreError('E_STORE_UNWRITABLE', `cannot write ${path}: ${osReason(err)}`, { cause: err });
}

export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}
