// The plugin archive library: reproducible `.tar.gz` packages with a file list, a hostile-input-
// proof extractor, and a re-check of an extracted release.
export { buildArchive } from './build.ts';
export { extractArchive, DEFAULT_LIMITS } from './extract.ts';
export { verifyTree } from './verify.ts';
export { ArchiveError, BuildError, ExtractError } from './errors.ts';
export type { ArchiveErrorCode, BuildErrorCode, ExtractErrorCode, UnsafeReason } from './errors.ts';
export { DEFAULT_EXCLUDES } from './exclude.ts';
export { compileGlob, matchGlob, type Glob } from './glob.ts';
export { FileEntrySchema, FileListSchema } from './file-list.ts';
export { ARCHIVE_FORMAT, FILE_LIST_NAME } from './types.ts';
export type {
  BuildOptions, BuildResult, ExtractLimits, ExtractOptions, ExtractResult, FileEntry, FileList, TreeCheck,
} from './types.ts';
