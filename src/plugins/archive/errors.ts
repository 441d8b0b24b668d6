// Typed errors of the archive library: a stable `code`, the file or entry concerned, and a
// message that says what was found and what was expected.
import { PluginopsError } from '../../errors/base.ts';
import type { ErrorKind } from '../../errors/kinds.ts';

export type BuildErrorCode =
  | 'E_OPTIONS' // a bad option (name with a slash, outDir equal to root, …)
  | 'E_LINK_OUTSIDE' // a symlink whose target is absolute or resolves outside the root
  | 'E_LINK_UNSAFE' // a symlink target with `..` after a name (`a/../b`), which may escape through a symlink
  | 'E_UNSUPPORTED_TYPE' // a socket, FIFO or device in the tree
  | 'E_BAD_NAME' // a file name the extractor would refuse (backslash, drive letter)
  | 'E_INPUT_CHANGED' // a file changed between hashing and packing
  | 'E_IO'; // reading the tree or writing the archive failed

export type ExtractErrorCode =
  | 'E_CHECKSUM' // the archive's SHA-256 differs from expectedSha256
  | 'E_UNSAFE_ENTRY' // an entry that could write outside dest, a forbidden type, or one beyond the limits
  | 'E_CORRUPT' // not a gzip/tar, truncated, or an unreadable file list
  | 'E_MANIFEST_MISMATCH' // the entries differ from PLUGINOPS-FILES.json (content, size, mode, extra, missing)
  | 'E_DEST_INVALID' // dest exists and is not an empty directory
  | 'E_ABORTED' // the signal was aborted (a step's timeout, a cancelled run); what was written is removed
  | 'E_IO'; // reading the archive or writing dest failed

/** Why an entry was refused (E_UNSAFE_ENTRY). */
export type UnsafeReason = 'name' | 'type' | 'link' | 'limit' | 'duplicate';

export type ArchiveErrorCode = BuildErrorCode | ExtractErrorCode;

export class ArchiveError extends PluginopsError {
  override readonly name: string = 'ArchiveError';
  readonly code: ArchiveErrorCode;
  /** Stopped by its signal, or failed. */
  readonly kind: ErrorKind;
  /** The file (build) or entry name (extract) concerned, when there is one. */
  readonly path: string | undefined;

  constructor(code: ArchiveErrorCode, message: string, options?: { path?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.kind = code === 'E_ABORTED' ? 'cancelled' : 'failed';
    this.path = options?.path;
  }
}

export class BuildError extends ArchiveError {
  override readonly name = 'BuildError';
  declare readonly code: BuildErrorCode;

  constructor(code: BuildErrorCode, message: string, options?: { path?: string; cause?: unknown }) {
    super(code, message, options);
  }
}

export class ExtractError extends ArchiveError {
  override readonly name = 'ExtractError';
  declare readonly code: ExtractErrorCode;
  /** Set for E_UNSAFE_ENTRY. */
  readonly reason: UnsafeReason | undefined;

  constructor(code: ExtractErrorCode, message: string, options?: { path?: string; cause?: unknown; reason?: UnsafeReason }) {
    super(code, message, options);
    this.reason = options?.reason;
  }
}

export function unsafeEntry(entry: string, reason: UnsafeReason, what: string): ExtractError {
  return new ExtractError('E_UNSAFE_ENTRY', `unsafe entry ${JSON.stringify(entry)}: ${what}`, { path: entry, reason });
}

/** The OS reason of a failed file operation ("ENOENT: no such file or directory, open '…'"). */
export function osReason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function errnoCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}
