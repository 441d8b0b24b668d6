// Creating a backup, all or nothing: the roots are copied into a hidden `.tmp-<id>` folder beside
// the backups, with the manifest and its checksum; every file and folder is fsynced; then one
// rename makes it visible, and it is read back and verified. Any failure (a full disk) removes the
// temp folder and leaves no backup; a process killed midway leaves only the hidden folder, removed
// by the next create.
//
// The store is not locked while it is copied: its writers take no store-wide lock, and need none
// here. Each execution file is append-only with every transition fsynced, and compacted by an
// atomic rename, so a file copied while a run writes it reads like one left by a SIGKILL at that
// instant: at worst a torn last line, which reading ignores. `serve` may go on working meanwhile.
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode, osReason } from '../store/errors.ts';
import { storeVersion } from '../store/version.ts';
import { BackupError } from './errors.ts';
import { fsWriter, fsyncDir, writeNew, type BackupWriter } from './files.ts';
import { checksumName, dataFolder, manifestName, pinPath, removeBackup, removeLeftovers, withBackupsLock, writeSide } from './folder.ts';
import { formatVersion, newBackupId, type Manifest, type ManifestEntry, type ManifestRoot } from './manifest.ts';
import { dataName, type BackupScope } from './scope.ts';
import { snapshotRoot } from './snapshot.ts';
import { corruptError, sha256, verifyAndRecord } from './verify.ts';

export interface CreateOptions {
  reason: string;
  pinned?: boolean;
  now?: () => Date;
  writer?: BackupWriter;
  /** Called after each file is copied. */
  afterFile?: () => Promise<void>;
}

export interface Created { id: string; path: string; manifest: Manifest; skipped: string[] }

/** Creates a backup of `scope`; takes the backups lock. */
export async function createBackup(scope: BackupScope, o: CreateOptions): Promise<Created> {
  return withBackupsLock(scope.dir, () => createLocked(scope, o));
}

/** createBackup for a caller that holds the backups lock already (a restore's safety backup). */
export async function createLocked(scope: BackupScope, o: CreateOptions): Promise<Created> {
  const now = o.now ?? (() => new Date());
  const writer = o.writer ?? fsWriter;
  await removeLeftovers(scope.dir);
  const created = now();
  const id = newBackupId(created);
  const temp = join(scope.dir, `.tmp-${id}`);
  const final = join(scope.dir, id);
  let manifest: Manifest;
  const skipped: string[] = [];
  try {
    await mkdir(join(temp, dataFolder), { recursive: true, mode: 0o700 });
    const roots: ManifestRoot[] = [];
    const entries: ManifestEntry[] = [];
    for (const [i, r] of scope.roots.entries()) {
      const data = dataName(i, r);
      const snap = await snapshotRoot(r.path, r.kind, join(temp, dataFolder), data, { writer, ...(o.afterFile ? { afterFile: o.afterFile } : {}) });
      roots.push({ name: r.name, kind: r.kind, type: snap.type, path: r.path, present: snap.present, data, mode: snap.mode });
      entries.push(...snap.entries);
      skipped.push(...snap.skipped);
    }
    const files = entries.filter((e) => e.type === 'file');
    manifest = {
      format: formatVersion, storeVersion, id, createdAt: created.toISOString(), reason: o.reason, pinned: o.pinned === true,
      roots, entries, totals: { files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) },
    };
    const text = manifestText(manifest);
    await writeNew(writer, join(temp, manifestName), text);
    await writeNew(writer, join(temp, checksumName), `${sha256(text)}  ${manifestName}\n`);
    await syncFolders(temp, entries, roots.map((r) => r.data));
    if (o.pinned) await writeSide(scope.dir, pinPath(scope.dir, id), `${JSON.stringify({ at: created.toISOString(), reason: o.reason })}\n`, writer);
    await rename(temp, final);
    await fsyncDir(scope.dir);
  } catch (e) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    await rm(pinPath(scope.dir, id), { force: true }).catch(() => undefined);
    if (e instanceof BackupError) throw e;
    const full = errorCode(e) === 'ENOSPC';
    throw new BackupError('E_BACKUP_WRITE', `backup not made${full ? ', the disk is full' : ''}: ${osReason(e)}; nothing was kept (the partial copy in ${temp} was removed)`, [], { cause: e });
  }
  const v = await verifyAndRecord(scope.dir, id, now());
  if (v.problems.length) {
    await removeBackup(scope.dir, id);
    throw corruptError(v, 'read back after writing; the new backup was removed');
  }
  return { id, path: final, manifest, skipped };
}

/** fsyncs every folder of the new backup, deepest first, then the backup folder itself. */
async function syncFolders(temp: string, entries: readonly ManifestEntry[], roots: readonly string[]): Promise<void> {
  const dirs = [...entries.filter((e) => e.type === 'dir').map((e) => e.path), ...roots];
  dirs.sort((a, b) => b.split('/').length - a.split('/').length);
  for (const d of dirs) await fsyncDir(join(temp, dataFolder, d));
  await fsyncDir(join(temp, dataFolder));
  await fsyncDir(temp);
}

/** The manifest as JSON with one root or entry a line, so it reads (and diffs) line by line. */
function manifestText(m: Manifest): string {
  const { roots, entries, ...head } = m;
  const list = (xs: readonly unknown[]) => (xs.length ? `[\n${xs.map((x) => `  ${JSON.stringify(x)}`).join(',\n')}\n ]` : '[]');
  const fields = Object.entries(head).map(([k, v]) => ` ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return `{\n${[...fields, ` "roots": ${list(roots)}`, ` "entries": ${list(entries)}`].join(',\n')}\n}\n`;
}
