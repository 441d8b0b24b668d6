// Folded execution records kept in memory, each under the identity of the file it was read from:
// its inode, size and modification time (ns). Listing thousands of executions then costs a
// `stat` per file, not a read and a fold, while their files do not change.
//
// Correct under writers in this and other processes: a record file only grows (appends) or is
// replaced whole (compaction writes a new file and renames it: a new inode), so any change gives
// the file a new identity. The identity is taken BEFORE the file is read: a write that lands
// between the two leaves the cache holding content at least as new as its key, and the next
// `stat` sees the new identity and reads again. The records are frozen (deeply): callers share
// them, and one that tried to change a record would throw instead of changing it for the next.
import { stat } from 'node:fs/promises';
import { errorCode } from './errors.ts';
import { readExecutionFile } from './read.ts';
import type { ExecutionRecord } from './types.ts';

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

interface Entry {
  identity: string;
  record: ExecutionRecord;
}

export class RecordCache {
  private entries = new Map<string, Entry>();

  /** The record in the file at `path` (undefined when there is none), from memory while the file is unchanged. */
  async read(path: string): Promise<ExecutionRecord | undefined> {
    let identity: string;
    try {
      const info = await stat(path, { bigint: true });
      identity = `${info.ino}:${info.size}:${info.mtimeNs}`;
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
      this.entries.delete(path);
      return undefined;
    }
    const hit = this.entries.get(path);
    if (hit?.identity === identity) return hit.record;
    const record = await readExecutionFile(path);
    if (!record) { this.entries.delete(path); return undefined; }
    deepFreeze(record);
    this.entries.set(path, { identity, record });
    return record;
  }

  /** Forgets every file but `paths` (the others were removed). */
  keepOnly(paths: ReadonlySet<string>): void {
    for (const path of this.entries.keys()) if (!paths.has(path)) this.entries.delete(path);
  }

  get size(): number {
    return this.entries.size;
  }
}
