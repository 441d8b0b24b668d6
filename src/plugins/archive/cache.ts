// Earlier builds by input hash: an index file in the cache directory maps each input hash to an
// archive and its SHA-256. An archive is reused only if it is still there with that SHA-256.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError, osReason } from './errors.ts';
import { sha256File } from './hash-files.ts';

export const INDEX_NAME = '.pluginops-archive-index.json';

export interface IndexEntry {
  /** Absolute path of the archive. */
  archive: string;
  sha256: string;
  size: number;
}

interface ArchiveIndex {
  version: 1;
  entries: Record<string, IndexEntry>;
}

/** A missing or unreadable index is an empty one: the cache only ever saves work. */
function readIndex(dir: string): ArchiveIndex {
  try {
    const value: unknown = JSON.parse(readFileSync(join(dir, INDEX_NAME), 'utf8'));
    if (isIndex(value)) return value;
  } catch {
    // fall through
  }
  return { version: 1, entries: {} };
}

function isIndex(v: unknown): v is ArchiveIndex {
  if (typeof v !== 'object' || v === null || !('version' in v) || v.version !== 1 || !('entries' in v)) return false;
  const entries = v.entries;
  return typeof entries === 'object' && entries !== null && Object.values(entries).every((e: unknown) =>
    typeof e === 'object' && e !== null && 'archive' in e && typeof e.archive === 'string'
    && 'sha256' in e && typeof e.sha256 === 'string' && 'size' in e && typeof e.size === 'number');
}

/** The archive recorded for `inputHash`, if it still exists with its recorded size and SHA-256. */
export async function findReusable(dir: string, inputHash: string): Promise<IndexEntry | undefined> {
  const hit = readIndex(dir).entries[inputHash];
  if (!hit) return undefined;
  try {
    const actual = await sha256File(hit.archive);
    return actual.sha256 === hit.sha256 && actual.size === hit.size ? hit : undefined;
  } catch {
    return undefined;
  }
}

/** Records `entry` under `inputHash` and drops entries whose archive is gone (temp file + rename). */
export function recordBuild(dir: string, inputHash: string, entry: IndexEntry): void {
  const index = readIndex(dir);
  index.entries[inputHash] = entry;
  for (const [key, e] of Object.entries(index.entries)) if (!existsSync(e.archive)) delete index.entries[key];
  const file = join(dir, INDEX_NAME);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(index, null, 2) + '\n', { flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new BuildError('E_IO', `cannot write the archive index ${file}: ${osReason(err)}`, { path: file, cause: err });
  }
}
