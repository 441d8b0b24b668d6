// `PLUGINOPS-FILES.json`: its schema (the one source of the FileEntry type), its byte-exact
// serialisation, the input hash derived from it, and parsing with a few named rules that the
// schema cannot say.
import { createHash } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { firstProblem } from '../../documents/schema-check.ts';
import { linkProblem, entrySegments } from './paths.ts';

export const FileEntrySchema = Type.Object({
  path: Type.String({ minLength: 1, description: 'Relative POSIX path, no `.` or `..` segments.' }),
  size: Type.Integer({ minimum: 0, description: 'Bytes of the file; 0 for a symlink.' }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Hex SHA-256 of the bytes; for a symlink, of its target (UTF-8).' }),
  mode: Type.Integer({ description: '0o644 or 0o755 for a file, 0o777 for a symlink.' }),
  type: Type.Union([Type.Literal('file'), Type.Literal('symlink')]),
  target: Type.Optional(Type.String({ minLength: 1, description: 'Symlinks only: the relative target.' })),
}, { additionalProperties: false });

export const FileListSchema = Type.Object({
  version: Type.Literal(1),
  files: Type.Array(FileEntrySchema),
}, { additionalProperties: false, description: 'The file list every pluginops archive carries as its first entry.' });

export type FileEntry = Static<typeof FileEntrySchema>;
export type FileList = Static<typeof FileListSchema>;

/** One entry per line, keys in a fixed order: the same list always gives the same bytes. */
export function serializeFileList(files: readonly FileEntry[]): Buffer {
  const lines = files.map((f) => JSON.stringify({
    path: f.path, size: f.size, sha256: f.sha256, mode: f.mode, type: f.type, ...(f.target === undefined ? {} : { target: f.target }),
  }));
  return Buffer.from(`{"version":1,"files":[\n${lines.join(',\n')}\n]}\n`);
}

/** SHA-256 over the format and the sorted (path, type, mode, size, sha256, target) tuples. */
export function inputHash(format: string, files: readonly FileEntry[]): string {
  const h = createHash('sha256').update(`${format}\n`);
  for (const f of files) h.update(`${f.path}\0${f.type}\0${f.mode.toString(8)}\0${f.size}\0${f.sha256}\0${f.target ?? ''}\n`);
  return h.digest('hex');
}

/** The parsed list, or what is wrong with it in words. */
export function parseFileList(text: string): { list: FileList } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problem: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const invalid = firstProblem(FileListSchema, value, 'file list');
  if (invalid) return { problem: invalid };
  const list = value as FileList; // checked by the schema just above
  const seen = new Set<string>();
  for (const [i, f] of list.files.entries()) {
    const problem = entryProblem(f) ?? (seen.has(f.path) ? 'is listed twice' : undefined);
    if (problem) return { problem: `files[${i}] (${JSON.stringify(f.path)}) ${problem}` };
    seen.add(f.path);
  }
  return { list };
}

function entryProblem(f: FileEntry): string | undefined {
  const name = entrySegments(f.path);
  if ('problem' in name) return `has an unsafe path: ${name.problem}`;
  if (name.segments.join('/') !== f.path) return 'has a path that is not in normal form (no `.`, empty segments or trailing `/`)';
  if (f.type === 'file') {
    if (f.mode !== 0o644 && f.mode !== 0o755) return `has mode 0o${f.mode.toString(8)}; expected 0o644 or 0o755`;
    if (f.target !== undefined) return 'is a file with a target';
    return undefined;
  }
  if (f.mode !== 0o777) return `has mode 0o${f.mode.toString(8)}; expected 0o777 for a symlink`;
  if (f.target === undefined) return 'is a symlink without a target';
  if (f.size !== 0) return `is a symlink with size ${f.size}; expected 0`;
  if (f.sha256 !== createHash('sha256').update(f.target).digest('hex')) return 'is a symlink whose sha256 is not that of its target';
  return linkProblem(f.path, f.target)?.what;
}
