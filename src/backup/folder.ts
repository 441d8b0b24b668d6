// The backups folder: one folder per backup, named by its id and never changed once it is there;
// beside it, `<id>.pinned` (kept by prune whatever its age) and `<id>.verify.json` (the last
// verification). Work in progress is hidden: `.tmp-<id>` while a backup is written, `.trash-<id>`
// while one is removed; both are removed by the next create or prune. One lock (`.lock`) keeps
// create, restore and prune of different processes apart.
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PathError } from '../store/paths.ts';
import { errorCode } from '../store/errors.ts';
import { currentOwner, isOwnerAlive, type Owner } from '../store/owner.ts';
import { storeVersion } from '../store/version.ts';
import { BackupError } from './errors.ts';
import { backupIdPattern, formatVersion, parseManifest, type Manifest } from './manifest.ts';
import { fsWriter, fsyncDir, writeNew, type BackupWriter } from './files.ts';

export const manifestName = 'manifest.json';
export const checksumName = 'manifest.sha256';
export const dataFolder = 'data';

export const readable = { format: formatVersion, storeVersion };

export interface VerifyRecord { at: string; ok: boolean; problems: string[] }

export const backupPath = (dir: string, id: string) => join(dir, checkBackupId(id));
export const pinPath = (dir: string, id: string) => join(dir, `${checkBackupId(id)}.pinned`);
export const verifyPath = (dir: string, id: string) => join(dir, `${checkBackupId(id)}.verify.json`);

/** `id` when it is a backup id; otherwise PathError E_BAD_ID (so `../x` never reaches the disk). */
export function checkBackupId(id: unknown): string {
  if (typeof id === 'string' && backupIdPattern.test(id)) return id;
  throw new PathError('E_BAD_ID', `invalid backup id ${JSON.stringify(id)}: expected one like 2026-12-07T03-10-00Z-1a2b3c (see backup list)`);
}

/** The ids of the finished backups in `dir`, newest first. */
export async function backupIds(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => backupIdPattern.test(n)).sort().reverse();
}

/** The manifest of backup `id`; BackupError E_BACKUP_NOT_FOUND when there is none. */
export async function readManifest(dir: string, id: string): Promise<{ manifest: Manifest; text: string }> {
  const path = join(backupPath(dir, id), manifestName);
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch {
    const known = (await backupIds(dir)).includes(id);
    if (!known) throw new BackupError('E_BACKUP_NOT_FOUND', `no backup ${id} in ${dir} (see backup list)`);
    throw new BackupError('E_BACKUP_CORRUPT', `backup ${id}: manifest.json is missing or unreadable`, [manifestName]);
  }
  return { manifest: parseManifest(text, id, readable), text };
}

export async function isPinned(dir: string, id: string): Promise<boolean> {
  return readFile(pinPath(dir, id)).then(() => true, () => false);
}

export async function lastVerify(dir: string, id: string): Promise<VerifyRecord | undefined> {
  try {
    const v = JSON.parse(await readFile(verifyPath(dir, id), 'utf8')) as Partial<VerifyRecord>;
    return typeof v.at === 'string' && typeof v.ok === 'boolean' ? { at: v.at, ok: v.ok, problems: Array.isArray(v.problems) ? v.problems.map(String) : [] } : undefined;
  } catch { return undefined; }
}

/** Replaces a side file (a pin, a verify record) atomically: a temp file renamed over it. */
export async function writeSide(dir: string, path: string, text: string, writer: BackupWriter = fsWriter): Promise<void> {
  const temp = `${path}.${process.pid}.${Date.now()}.part`;
  try {
    await writeNew(writer, temp, text);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  await fsyncDir(dir);
}

/** Removes a backup: renamed out of sight first, so a crash never leaves a half-removed one listed. */
export async function removeBackup(dir: string, id: string): Promise<void> {
  const trash = join(dir, `.trash-${checkBackupId(id)}`);
  await rename(backupPath(dir, id), trash).catch((e: unknown) => { if ((e as { code?: string }).code !== 'ENOENT') throw e; });
  await fsyncDir(dir);
  await rm(pinPath(dir, id), { force: true });
  await rm(verifyPath(dir, id), { force: true });
  await rm(trash, { recursive: true, force: true });
}

/** Leftovers of a create or a prune that a crash cut short; only called under the lock. */
export async function removeLeftovers(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const ids = new Set(names.filter((n) => backupIdPattern.test(n)));
  const stale = names.filter((n) => n.startsWith('.tmp-') || n.startsWith('.trash-') || n.endsWith('.part')
    || ((n.endsWith('.pinned') || n.endsWith('.verify.json')) && !ids.has(n.replace(/\.(pinned|verify\.json)$/, ''))));
  for (const n of stale) await rm(join(dir, n), { recursive: true, force: true });
  return stale;
}

const heartbeatMs = 5_000;
const staleMs = 30_000;
const waitMs = 10_000;

/**
 * Runs `fn` holding the backups folder's lock (`.lock`, created exclusively, naming its holder).
 * A lock whose holder is dead (a SIGKILL mid-backup) is taken over at once; one not touched for
 * 30 s too. The lock is touched while `fn` runs, so a long copy never looks abandoned. Another
 * live holder is waited for up to 10 s, then BackupError E_BACKUP_BUSY.
 */
export async function withBackupsLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(dir, { recursive: true });
  const lock = join(dir, '.lock');
  const me = currentOwner();
  const giveUp = Date.now() + waitMs;
  for (;;) {
    try {
      await writeFile(lock, JSON.stringify(me), { flag: 'wx' });
      break;
    } catch (e) {
      if (errorCode(e) !== 'EEXIST') throw e;
    }
    const [text, info] = await Promise.all([readFile(lock, 'utf8').catch(() => ''), stat(lock).catch(() => undefined)]);
    const holder = ownerIn(text);
    if (info && ((holder && !isOwnerAlive(holder)) || Date.now() - info.mtimeMs > staleMs)) { await rm(lock, { force: true }); continue; }
    if (Date.now() > giveUp) throw new BackupError('E_BACKUP_BUSY', `another process${holder ? ` (pid ${holder.pid})` : ''} is creating, restoring or pruning backups in ${dir}; try again when it is done`);
    await new Promise((ok) => setTimeout(ok, 25));
  }
  const beat = setInterval(() => { const now = new Date(); void utimes(lock, now, now).catch(() => undefined); }, heartbeatMs);
  beat.unref();
  try { return await fn(); } finally {
    clearInterval(beat);
    await rm(lock, { force: true });
  }
}

function ownerIn(text: string): Owner | undefined {
  try {
    const v = JSON.parse(text) as Partial<Owner>;
    return typeof v.pid === 'number' && typeof v.host === 'string' ? { pid: v.pid, host: v.host, ...(typeof v.startTime === 'string' ? { startTime: v.startTime } : {}) } : undefined;
  } catch { return undefined; }
}
