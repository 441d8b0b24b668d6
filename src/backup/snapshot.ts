// Copying the roots into a backup's data folder: a walk that never follows links, records each
// folder, file (size, mode, SHA-256 of the bytes copied) and link, and skips what is not state
// (the store's lock files and its `serve` owner file) and what cannot be copied (sockets, fifos).
import { lstat, mkdir, readdir, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { errorCode } from '../store/errors.ts';
import { serveOwnerName } from '../store/serve-owner.ts';
import { copyHashed, type BackupWriter } from './files.ts';
import type { ManifestEntry, RootKind } from './manifest.ts';

export interface SnapshotOptions {
  writer: BackupWriter;
  /** Called after each file is copied (a test slows the copy down here). */
  afterFile?: () => Promise<void>;
}

export interface RootSnapshot { present: boolean; type: 'dir' | 'file'; mode: number; entries: ManifestEntry[]; skipped: string[] }

/** Not state: lock files (a lock held now means nothing later) and the owner file of a `serve`. */
const transient = (kind: RootKind, rel: string): boolean =>
  kind === 'store' && (rel === `control/${serveOwnerName}` || (rel.startsWith('control/') && rel.endsWith('.lock')));

/** Copies `source` (a folder or a file) to `<dataDir>/<data>`; entries are relative to dataDir. */
export async function snapshotRoot(source: string, kind: RootKind, dataDir: string, data: string, o: SnapshotOptions): Promise<RootSnapshot> {
  const info = await lstat(source).catch((e: unknown) => { if (errorCode(e) === 'ENOENT') return undefined; throw e; });
  const out: RootSnapshot = { present: info !== undefined, type: info?.isDirectory() ? 'dir' : 'file', mode: (info?.mode ?? 0o755) & 0o7777, entries: [], skipped: [] };
  await mkdir(join(dataDir, data), { mode: 0o700 });
  if (!info) return out;
  if (!info.isDirectory()) {
    if (!info.isFile()) { out.skipped.push(source); return out; }
    const rel = `${data}/${basename(source)}`;
    const copied = await copyHashed(source, join(dataDir, rel), o.writer);
    out.entries.push({ path: rel, type: 'file', mode: info.mode & 0o7777, ...copied });
    await o.afterFile?.();
    return out;
  }
  await walk(source, '', kind, dataDir, data, o, out);
  return out;
}

async function walk(dir: string, rel: string, kind: RootKind, dataDir: string, data: string, o: SnapshotOptions, out: RootSnapshot): Promise<void> {
  const names = await readdir(rel ? join(dir, rel) : dir).catch((e: unknown) => { if (errorCode(e) === 'ENOENT') return [] as string[]; throw e; });
  for (const name of names.sort()) {
    const r = rel ? `${rel}/${name}` : name;
    if (transient(kind, r)) continue;
    const from = join(dir, r);
    const to = join(dataDir, data, r);
    const path = `${data}/${r}`;
    const info = await lstat(from).catch(() => undefined);
    if (!info) continue; // gone since the listing (a run's temp file, a cleaned execution)
    if (info.isDirectory()) {
      await mkdir(to, { mode: 0o700 });
      out.entries.push({ path, type: 'dir', mode: info.mode & 0o7777 });
      await walk(dir, r, kind, dataDir, data, o, out);
    } else if (info.isSymbolicLink()) {
      out.entries.push({ path, type: 'symlink', target: await readlink(from) });
    } else if (info.isFile()) {
      let copied: { size: number; sha256: string };
      try { copied = await copyHashed(from, to, o.writer); } catch (e) { if (errorCode(e) === 'ENOENT') continue; throw e; }
      out.entries.push({ path, type: 'file', mode: info.mode & 0o7777, ...copied });
      await o.afterFile?.();
    } else {
      out.skipped.push(from);
    }
  }
}
