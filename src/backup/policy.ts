// The `backup:` settings of the project file as values: retention, and when `serve` takes and
// verifies backups.
import type { BackupDoc } from '../documents/schema/project.ts';
import { parseDuration } from '../engine/duration.ts';
import { BackupError } from './errors.ts';
import { defaultRetention, type RetentionPolicy } from './retention.ts';

export const defaultVerifyEveryMs = 24 * 60 * 60 * 1000;

export function retentionOf(doc: BackupDoc | undefined): RetentionPolicy {
  return { keepDays: doc?.keepDays ?? defaultRetention.keepDays, keepCount: doc?.keepCount ?? defaultRetention.keepCount };
}

export type BackupCadence = { every: number } | { cron: string; timeZone?: string };

/** When serve takes backups: undefined when the project file sets no schedule. */
export function scheduleOf(doc: BackupDoc | undefined): { take?: BackupCadence; verifyEvery: number } {
  if (doc?.interval !== undefined && doc.cron !== undefined) throw new BackupError('E_BACKUP_CONFIG', 'backup: give `interval` or `cron`, found both');
  if (doc?.timeZone !== undefined && doc.cron === undefined) throw new BackupError('E_BACKUP_CONFIG', 'backup: `timeZone` applies to `cron`, which is not set');
  const take: BackupCadence | undefined = doc?.interval !== undefined ? { every: parseDuration(doc.interval) }
    : doc?.cron !== undefined ? { cron: doc.cron, ...(doc.timeZone ? { timeZone: doc.timeZone } : {}) } : undefined;
  return { ...(take ? { take } : {}), verifyEvery: doc?.verifyInterval !== undefined ? parseDuration(doc.verifyInterval) : defaultVerifyEveryMs };
}
