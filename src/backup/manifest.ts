// What a backup says about itself (`manifest.json`): its format and the store layout it was made
// from, when and why, and every file, folder and link it holds, each under the data folder of the
// root it came from. Reading a manifest checks it whole before anything is read or written through
// it: every path relative, inside its root, under folders the manifest itself lists.
import { randomBytes } from 'node:crypto';
import { BackupError } from './errors.ts';

/** The manifest's format; a backup of a higher one is refused. */
export const formatVersion = 1;

export type RootKind = 'store' | 'project' | 'documents' | 'releases';

export interface ManifestRoot {
  /** How the project names it: `store`, `project`, `documents:pipelines`, `releases:production`. */
  name: string;
  kind: RootKind;
  /** A folder, or a single file (the project file). */
  type: 'dir' | 'file';
  /** Where it was, absolute. */
  path: string;
  /** False when it did not exist then: a restore removes what stands there now. */
  present: boolean;
  /** Its folder under `data/` in the backup. */
  data: string;
  /** The permission bits of the root folder itself. */
  mode?: number;
}

export type ManifestEntry =
  | { path: string; type: 'file'; size: number; mode: number; sha256: string }
  | { path: string; type: 'dir'; mode: number }
  | { path: string; type: 'symlink'; target: string };

export interface Manifest {
  format: number;
  storeVersion: number;
  id: string;
  createdAt: string;
  reason: string;
  /** Pinned when it was made (a safety backup); whether it is pinned now is its marker file. */
  pinned: boolean;
  roots: ManifestRoot[];
  entries: ManifestEntry[];
  totals: { files: number; bytes: number };
}

/** `2026-12-07T03-10-00Z-1a2b3c`: the time it was made (sorts as text) and a random tail. */
export const backupIdPattern = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-[0-9a-f]{6}$/;

export function newBackupId(now: Date): string {
  return `${now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}-${randomBytes(3).toString('hex')}`;
}

const segmentOk = (s: string) => s !== '' && s !== '.' && s !== '..' && !s.includes('\0') && !s.includes('\\');

/** Problems that make a path unusable: empty, absolute, `..`, or outside any root's data folder. */
export function pathProblem(path: string, roots: ReadonlySet<string>): string | undefined {
  if (typeof path !== 'string' || path === '') return 'an empty path';
  if (path.startsWith('/')) return 'an absolute path';
  const parts = path.split('/');
  if (!parts.every(segmentOk)) return 'a path with an empty, `.` or `..` part';
  if (!roots.has(parts[0]!)) return `a path outside the backed-up roots (${[...roots].join(', ')})`;
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * The manifest in `text`, checked whole: its shape, its versions against what this code reads,
 * and every path. Throws BackupError E_BACKUP_CORRUPT (not a manifest), E_BACKUP_VERSION (newer)
 * or E_BACKUP_UNSAFE (a path that leads outside, or through a link), naming what is wrong.
 */
export function parseManifest(text: string, id: string, readable: { format: number; storeVersion: number }): Manifest {
  let value: unknown;
  try { value = JSON.parse(text); } catch (e) {
    throw new BackupError('E_BACKUP_CORRUPT', `backup ${id}: manifest.json is not JSON (${(e as Error).message})`, ['manifest.json']);
  }
  const bad = (why: string): never => { throw new BackupError('E_BACKUP_CORRUPT', `backup ${id}: manifest.json ${why}`, ['manifest.json']); };
  if (!isObject(value)) return bad('is not an object');
  const m = value;
  if (!isCount(m.format) || !isCount(m.storeVersion)) return bad('has no format or storeVersion number');
  if (m.format > readable.format) throw new BackupError('E_BACKUP_VERSION', `backup ${id} has format ${m.format}; this pluginops reads format ${readable.format} and older: use a newer pluginops`);
  if (m.storeVersion > readable.storeVersion) throw new BackupError('E_BACKUP_VERSION', `backup ${id} holds a store of version ${m.storeVersion}; this pluginops reads store version ${readable.storeVersion} and older: use a newer pluginops`);
  if (typeof m.createdAt !== 'string' || Number.isNaN(Date.parse(m.createdAt))) return bad('has no createdAt time');
  if (!Array.isArray(m.roots) || !Array.isArray(m.entries)) return bad('has no roots or entries list');
  const roots = m.roots.map((r, i) => checkRoot(r, i, bad));
  const dataNames = new Set(roots.map((r) => r.data));
  if (dataNames.size !== roots.length) return bad('names one data folder twice');
  const entries = checkEntries(m.entries, id, dataNames, bad);
  const files = entries.filter((e) => e.type === 'file');
  return {
    format: m.format, storeVersion: m.storeVersion, id, createdAt: m.createdAt,
    reason: typeof m.reason === 'string' ? m.reason : '', pinned: m.pinned === true, roots, entries,
    totals: { files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) },
  };
}

function checkRoot(r: unknown, i: number, bad: (why: string) => never): ManifestRoot {
  if (!isObject(r)) return bad(`roots[${i}] is not an object`);
  const { name, kind, type, path, present, data } = r;
  if (typeof name !== 'string' || typeof path !== 'string' || typeof data !== 'string' || typeof present !== 'boolean') return bad(`roots[${i}] lacks name, path, data or present`);
  if (kind !== 'store' && kind !== 'project' && kind !== 'documents' && kind !== 'releases') return bad(`roots[${i}] has an unknown kind ${JSON.stringify(kind)}`);
  if (type !== 'dir' && type !== 'file') return bad(`roots[${i}] has an unknown type ${JSON.stringify(type)}`);
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(data)) throw new BackupError('E_BACKUP_UNSAFE', `the manifest's root ${JSON.stringify(name)} has the data folder ${JSON.stringify(data)}; expected one plain name`, [data]);
  return { name, kind, type, path, present, data, ...(isCount(r.mode) ? { mode: r.mode } : {}) };
}

function checkEntries(list: unknown[], id: string, roots: ReadonlySet<string>, bad: (why: string) => never): ManifestEntry[] {
  const dirs = new Set<string>();
  const seen = new Set<string>();
  const out: ManifestEntry[] = [];
  for (const [i, e] of list.entries()) {
    if (!isObject(e) || typeof e.path !== 'string') return bad(`entries[${i}] has no path`);
    const problem = pathProblem(e.path, roots);
    if (problem) throw new BackupError('E_BACKUP_UNSAFE', `backup ${id}: the manifest names ${JSON.stringify(e.path)}, ${problem}; refused, nothing is read or written through it`, [e.path]);
    if (seen.has(e.path)) return bad(`names ${e.path} twice`);
    seen.add(e.path);
    const parent = e.path.slice(0, Math.max(0, e.path.lastIndexOf('/')));
    // A parent must be a root or a folder listed before: never a link, so nothing is written through one.
    if (parent !== '' && !roots.has(parent) && !dirs.has(parent)) {
      throw new BackupError('E_BACKUP_UNSAFE', `backup ${id}: the manifest names ${JSON.stringify(e.path)} inside ${JSON.stringify(parent)}, which it does not list as a folder before it; refused`, [e.path]);
    }
    if (e.type === 'dir' && isCount(e.mode)) { dirs.add(e.path); out.push({ path: e.path, type: 'dir', mode: e.mode }); }
    else if (e.type === 'file' && isCount(e.size) && isCount(e.mode) && typeof e.sha256 === 'string' && /^[0-9a-f]{64}$/.test(e.sha256)) out.push({ path: e.path, type: 'file', size: e.size, mode: e.mode, sha256: e.sha256 });
    else if (e.type === 'symlink' && typeof e.target === 'string' && e.target !== '') out.push({ path: e.path, type: 'symlink', target: e.target });
    else return bad(`entries[${i}] (${e.path}) is not a complete file, dir or symlink entry`);
  }
  return out;
}
