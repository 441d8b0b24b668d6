// Shapes of the plugin archive library: what goes in, what comes out, and the file list that
// every archive carries as its first entry.

import type { FileEntry } from './file-list.ts';

export type { FileEntry, FileList } from './file-list.ts';

export interface BuildOptions {
  /** Directory to package. */
  root: string;
  /** Where `<name>.tar.gz` is written (created if missing). */
  outDir: string;
  /** File name without `.tar.gz`, e.g. `my-plugin-1.2.0`; no `/`, not starting with `.`. */
  name: string;
  /** Extra glob patterns to leave out (`*`, `**`, `?`; a trailing `/` matches directories only). */
  exclude?: string[];
  /** Where earlier builds are kept by input hash; defaults to outDir (which then indexes its own archives). */
  cacheDir?: string;
  signal?: AbortSignal;
}

export interface BuildResult {
  /** Absolute path of the archive. */
  archive: string;
  /** Bytes of the archive. */
  size: number;
  /** Hex SHA-256 of the archive. */
  sha256: string;
  /** Files and symlinks packed (the file list itself not counted). */
  files: number;
  /** Sum of the packed files' sizes. */
  bytes: number;
  /** Hex SHA-256 over the sorted (path, type, mode, size, sha256, target) list and the format options. */
  inputHash: string;
  /** True when an earlier archive of the same input was used instead of packing again. */
  reused: boolean;
  list: FileEntry[];
}

export interface ExtractLimits {
  /** Entries of any kind (the file list and directories included). Default 100,000. */
  maxFiles?: number;
  /** Bytes of all file contents together, counted as they stream. Default 4 GiB. */
  maxBytes?: number;
  /** Bytes of one file. Default 1 GiB. */
  maxFileBytes?: number;
  /** Directories deep one path may go (`a/b/c` is 3). Default 64. */
  maxDepth?: number;
  /** UTF-8 bytes of one path inside the archive. Default 4096. */
  maxPathBytes?: number;
}

export interface ExtractOptions {
  archive: string;
  /** Must not exist, or be an empty directory. */
  dest: string;
  limits?: ExtractLimits;
  /** Hex SHA-256 the archive must have; checked before anything is written. */
  expectedSha256?: string;
  /** Stops the extraction (between entries and while a file streams): E_ABORTED, dest restored. */
  signal?: AbortSignal;
}

export interface ExtractResult {
  list: FileEntry[];
}

export interface TreeCheck {
  ok: boolean;
  problems: string[];
}

/** Name of the file list inside every archive and extracted tree. */
export const FILE_LIST_NAME = 'PLUGINOPS-FILES.json';

/** Identifies the archive layout and compression; part of the input hash. */
export const ARCHIVE_FORMAT = 'pluginops-archive/1 ustar+pax gzip-6 mtime=0 uid=0 gid=0';

export const GZIP_LEVEL = 6;
