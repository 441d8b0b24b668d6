// Verifying a backup: the manifest against its own checksum, then every file hashed again against
// the manifest, every folder present, and nothing in the data folder the manifest does not list.
// Each problem names the file, relative to the backup's data folder.
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupError } from './errors.ts';
import { hashFile } from './files.ts';
import { backupPath, checksumName, dataFolder, readManifest, verifyPath, writeSide, type VerifyRecord } from './folder.ts';
import type { Manifest } from './manifest.ts';

export interface VerifyProblem {
  /** Relative to the backup's data folder. */
  path: string;
  problem: string;
  /** Where the file was backed up from. */
  source?: string;
}

export interface Verification { id: string; manifest: Manifest; problems: VerifyProblem[] }

export const sha256 = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');

/** Re-hashes backup `id` in `dir`; throws only for a backup that is not there or cannot be read safely. */
export async function verifyBackup(dir: string, id: string): Promise<Verification> {
  const { manifest, text } = await readManifest(dir, id);
  const root = backupPath(dir, id);
  const problems: VerifyProblem[] = [];
  const sum = await readFile(join(root, checksumName), 'utf8').then((t) => t.trim().split(/\s+/)[0], () => undefined);
  if (sum === undefined) problems.push({ path: checksumName, problem: 'missing' });
  else if (sum !== sha256(text)) problems.push({ path: 'manifest.json', problem: `SHA-256 ${sha256(text)}, expected ${sum} (manifest.sha256)` });
  const data = join(root, dataFolder);
  for (const r of manifest.roots) {
    const info = await lstat(join(data, r.data)).catch(() => undefined);
    if (!info?.isDirectory()) problems.push({ path: r.data, problem: 'missing (the folder of a root)' });
  }
  const listed = new Set<string>(manifest.roots.map((r) => r.data));
  for (const e of manifest.entries) {
    if (e.type === 'symlink') continue; // kept in the manifest itself, whose checksum is checked above
    listed.add(e.path);
    const at = join(data, e.path);
    const info = await lstat(at).catch(() => undefined);
    if (!info) { problems.push({ path: e.path, problem: 'missing' }); continue; }
    if (e.type === 'dir') { if (!info.isDirectory()) problems.push({ path: e.path, problem: 'not a folder' }); continue; }
    if (!info.isFile()) { problems.push({ path: e.path, problem: 'not a plain file' }); continue; }
    const got = await hashFile(at).catch((err: unknown) => ({ size: -1, sha256: `unreadable: ${(err as Error).message}` }));
    if (got.size !== e.size) problems.push({ path: e.path, problem: `${got.size < 0 ? got.sha256 : `${got.size} bytes`}, expected ${e.size}` });
    else if (got.sha256 !== e.sha256) problems.push({ path: e.path, problem: `SHA-256 ${got.sha256}, expected ${e.sha256}` });
  }
  for (const extra of await unlisted(data, '', listed)) problems.push({ path: extra, problem: 'not in the manifest' });
  return { id, manifest, problems: problems.map((p) => withSource(manifest, p)) };
}

async function unlisted(data: string, rel: string, listed: ReadonlySet<string>): Promise<string[]> {
  const names = await readdir(rel ? join(data, rel) : data, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const d of names.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = rel ? `${rel}/${d.name}` : d.name;
    if (!listed.has(path)) out.push(path);
    else if (d.isDirectory()) out.push(...await unlisted(data, path, listed));
  }
  return out;
}

/** Verifies and records the result beside the backup (`<id>.verify.json`); the backup itself is not touched. */
export async function verifyAndRecord(dir: string, id: string, now: Date): Promise<Verification> {
  const v = await verifyBackup(dir, id);
  const record: VerifyRecord = { at: now.toISOString(), ok: v.problems.length === 0, problems: v.problems.map(describe) };
  await writeSide(dir, verifyPath(dir, id), `${JSON.stringify(record)}\n`);
  return v;
}

export const describe = (p: VerifyProblem): string => `${p.path}${p.source ? ` (from ${p.source})` : ''}: ${p.problem}`;

function withSource(m: Manifest, p: VerifyProblem): VerifyProblem {
  const slash = p.path.indexOf('/');
  const root = m.roots.find((r) => r.data === (slash < 0 ? p.path : p.path.slice(0, slash)));
  if (!root) return p;
  return { ...p, source: slash < 0 || root.type === 'file' ? root.path : `${root.path}/${p.path.slice(slash + 1)}` };
}

/** BackupError E_BACKUP_CORRUPT naming every problem, for a verification that found some. */
export function corruptError(v: Verification, outcome: string): BackupError {
  return new BackupError('E_BACKUP_CORRUPT', `backup ${v.id} does not match its manifest (${outcome}):\n${v.problems.map((p) => `  ${describe(p)}`).join('\n')}`, v.problems.map((p) => p.path));
}
