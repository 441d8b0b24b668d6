// Restoring a backup: verified first (any mismatch refuses, naming the file), refused while a
// `serve` owns the store or a run is running in it, then a pinned safety backup of the current
// state, then each root rebuilt in a staging folder beside it, with the recorded modes and links,
// hashed again as it is copied, and fsynced. Only when every root is staged are they swapped in,
// each by two renames (the old one aside, the staged one in) and the old one removed. Nothing is
// written outside the roots: the manifest's paths were checked when it was read.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { openFileStore } from '../store/file-store.ts';
import { liveServeOwner } from '../store/serve-owner.ts';
import { BackupError } from './errors.ts';
import { copyHashed, fsWriter, fsyncDir, type BackupWriter } from './files.ts';
import { backupPath, dataFolder, withBackupsLock } from './folder.ts';
import { createLocked, type Created } from './create.ts';
import type { ManifestEntry, ManifestRoot } from './manifest.ts';
import type { BackupScope, ScopeRoot } from './scope.ts';
import { corruptError, verifyAndRecord } from './verify.ts';

export interface RestoreOptions {
  now?: () => Date;
  writer?: BackupWriter;
}

export interface Restored {
  id: string;
  /** The pinned backup of the state the restore replaced. */
  safety: Created;
  restored: string[];
  /** Roots in the backup the project no longer names: left alone. */
  notRestored: string[];
}

interface Staged { root: ManifestRoot; target: ScopeRoot; stage?: string }

export async function restoreBackup(scope: BackupScope, id: string, o: RestoreOptions = {}): Promise<Restored> {
  const now = o.now ?? (() => new Date());
  const writer = o.writer ?? fsWriter;
  return withBackupsLock(scope.dir, async () => {
    const v = await verifyAndRecord(scope.dir, id, now());
    if (v.problems.length) throw corruptError(v, 'restore refused, nothing was changed');
    await refuseWhileBusy(scope.storeDir);
    const safety = await createLocked(scope, { reason: `safety: before restoring ${id}`, pinned: true, now, writer });
    const data = join(backupPath(scope.dir, id), dataFolder);
    const staged: Staged[] = [];
    const notRestored: string[] = [];
    try {
      for (const root of v.manifest.roots) {
        const target = scope.roots.find((r) => r.name === root.name);
        if (!target) { notRestored.push(root.name); continue; }
        await removeStale(target.path);
        const s: Staged = { root, target };
        staged.push(s);
        if (root.present) s.stage = await stage(data, root, v.manifest.entries.filter((e) => e.path.startsWith(`${root.data}/`)), target.path, writer);
      }
      // A serve or a run that started while the roots were staged would have its store swapped under it.
      await refuseWhileBusy(scope.storeDir);
    } catch (e) {
      for (const s of staged) if (s.stage) await rm(s.stage, { recursive: true, force: true });
      if (e instanceof BackupError) throw e;
      throw new BackupError('E_BACKUP_WRITE', `restore of ${id} stopped before changing anything: ${(e as Error).message}`, [], { cause: e });
    }
    for (const s of staged) await swap(s.target.path, s.stage);
    return { id, safety, restored: staged.map((s) => s.root.name), notRestored };
  });
}

async function refuseWhileBusy(storeDir: string): Promise<void> {
  const owner = await liveServeOwner(storeDir);
  if (owner) throw new BackupError('E_BACKUP_BUSY', `serve (pid ${owner.pid} on ${owner.host}) owns the store ${storeDir}; stop it before restoring, nothing was changed`);
  if (!existsSync(storeDir)) return;
  const store = await openFileStore(storeDir);
  try {
    const running = (await store.list()).filter((r) => r.status === 'running' || r.status === 'pending');
    if (running.length) throw new BackupError('E_BACKUP_BUSY', `executions are running in ${storeDir} (${running.map((r) => r.id).join(', ')}); wait for them or cancel them before restoring, nothing was changed`);
  } finally {
    await store.close();
  }
}

const stagePrefix = (target: string) => `.${basename(target)}.restore-`;

/** Staging or set-aside folders a restore cut short left beside a root. */
async function removeStale(target: string): Promise<void> {
  const parent = dirname(target);
  for (const n of await readdir(parent).catch(() => [] as string[])) if (n.startsWith(stagePrefix(target))) await rm(join(parent, n), { recursive: true, force: true });
}

/** Builds the root in a new folder (or file) beside `target`; resolves with its path. */
async function stage(data: string, root: ManifestRoot, entries: readonly ManifestEntry[], target: string, writer: BackupWriter): Promise<string> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const at = join(parent, `${stagePrefix(target)}${randomBytes(4).toString('hex')}`);
  const copy = async (e: Extract<ManifestEntry, { type: 'file' }>, to: string) => {
    const got = await copyHashed(join(data, e.path), to, writer);
    if (got.sha256 !== e.sha256) throw new BackupError('E_BACKUP_CORRUPT', `${e.path} changed in the backup while it was restored (SHA-256 ${got.sha256}, expected ${e.sha256}); nothing was changed`, [e.path]);
    await chmod(to, e.mode & 0o1777);
  };
  if (root.type === 'file') {
    const files = entries.filter((e) => e.type === 'file');
    if (files.length !== 1) throw new BackupError('E_BACKUP_CORRUPT', `the backup's ${root.name} should hold one file, found ${files.length}`, [root.data]);
    await copy(files[0]!, at);
    await fsyncDir(parent);
    return at;
  }
  await mkdir(at, { mode: 0o700 });
  const dirs: Array<{ path: string; mode: number }> = [];
  for (const e of entries) {
    const to = join(at, e.path.slice(root.data.length + 1));
    if (e.type === 'dir') { await mkdir(to, { mode: 0o700 }); dirs.push({ path: to, mode: e.mode }); }
    else if (e.type === 'symlink') await symlink(e.target, to);
    else await copy(e, to);
  }
  dirs.reverse(); // children before parents: a parent's mode may forbid writing in it
  for (const d of dirs) { await fsyncDir(d.path); await chmod(d.path, d.mode & 0o1777); }
  await fsyncDir(at);
  await chmod(at, (root.mode ?? 0o755) & 0o1777);
  await fsyncDir(parent);
  return at;
}

/** The staged root in place of `target` (or, for a root absent from the backup, `target` removed). */
async function swap(target: string, staged: string | undefined): Promise<void> {
  const parent = dirname(target);
  const aside = join(parent, `${stagePrefix(target)}old-${randomBytes(4).toString('hex')}`);
  const had = existsSync(target) || (await readdir(parent).then((n) => n.includes(basename(target)), () => false));
  if (had) await rename(target, aside);
  if (staged) await rename(staged, target);
  await fsyncDir(parent);
  if (had) await rm(aside, { recursive: true, force: true });
}
