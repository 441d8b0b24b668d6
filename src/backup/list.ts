// The backups in a folder as people see them: newest first, with size, file count, reason,
// pinned, and the last verification. A backup whose manifest cannot be read is listed as damaged.
import { BackupError } from './errors.ts';
import { backupIds, isPinned, lastVerify, readManifest } from './folder.ts';
import type { RetentionItem } from './retention.ts';

export interface BackupSummary {
  id: string;
  createdAt: string;
  reason: string;
  pinned: boolean;
  files: number;
  bytes: number;
  roots: string[];
  /** `ok` / `failed` from the last verification; `never`; `unreadable` when the manifest is. */
  verified: 'ok' | 'failed' | 'never' | 'unreadable';
  verifiedAt?: string;
  problem?: string;
}

export async function listBackups(dir: string): Promise<BackupSummary[]> {
  const out: BackupSummary[] = [];
  for (const id of await backupIds(dir)) {
    const [pinned, verify] = await Promise.all([isPinned(dir, id), lastVerify(dir, id)]);
    try {
      const { manifest: m } = await readManifest(dir, id);
      out.push({
        id, createdAt: m.createdAt, reason: m.reason, pinned, files: m.totals.files, bytes: m.totals.bytes, roots: m.roots.map((r) => r.name),
        verified: verify ? (verify.ok ? 'ok' : 'failed') : 'never', ...(verify ? { verifiedAt: verify.at } : {}),
      });
    } catch (e) {
      if (!(e instanceof BackupError)) throw e;
      out.push({ id, createdAt: idTime(id), reason: '', pinned, files: 0, bytes: 0, roots: [], verified: 'unreadable', problem: e.message });
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

/** The time an id names (`2026-12-07T03-10-00Z-…`), as ISO. */
const idTime = (id: string): string => `${id.slice(0, 10)}T${id.slice(11, 19).replace(/-/g, ':')}Z`;

export const retentionItem = (b: BackupSummary): RetentionItem => ({
  id: b.id, createdAt: Date.parse(b.createdAt), pinned: b.pinned, verified: b.verified === 'unreadable' ? 'failed' : b.verified,
});
