// Backups in `serve --cron`: with `backup.interval` or `backup.cron` in the project file, a backup
// on that schedule, pruned to the retention right after, and every backup verified again every
// `backup.verifyInterval` (default 24 h); without either, no backup job. Results are logged, and kept for /metrics and
// /api/status: the time of the last good backup and of the last verification, and its outcome.
import { createBackup } from '../backup/create.ts';
import { BackupError } from '../backup/errors.ts';
import { backupIds } from '../backup/folder.ts';
import { listBackups } from '../backup/list.ts';
import { retentionOf, scheduleOf } from '../backup/policy.ts';
import { pruneBackups } from '../backup/prune.ts';
import { backupScope, type BackupScope } from '../backup/scope.ts';
import { describe, verifyAndRecord } from '../backup/verify.ts';
import type { Clock } from '../engine/clock.ts';
import { Scheduler, type JobSpec } from '../monitor/schedule/scheduler.ts';
import type { Project } from '../project/load.ts';
import { exposition } from './metrics.ts';

export interface BackupStatus {
  /** ms since the epoch of the newest backup made and verified (here or by hand), if any. */
  lastSuccessAt?: number;
  lastFailure?: { at: number; error: string };
  lastVerify?: { at: number; ok: boolean; backups: number; problems: number };
  failures: number;
}

export interface BackupJobs {
  start(): void;
  /** The project file changed: new schedule, folder and retention. */
  reload(project: Project): void;
  stop(graceMs: number): Promise<void>;
  status(): BackupStatus;
  /** For /api/status: present once the project file schedules backups. */
  summary(): { backups?: { lastSuccessAt?: number; lastVerifyAt?: number; lastVerifyOk?: boolean; failures: number } };
  metrics(): string;
}

type Log = (line: string, level: 'info' | 'warn' | 'error', fields?: Record<string, unknown>) => void;

/** The backup jobs of a serve; `storeDir` is the store serve opened (it may differ from the project's). */
export async function backupJobs(project: Project, o: { storeDir: string; clock: Clock; log: Log }): Promise<BackupJobs> {
  let current = project;
  const scope = (): BackupScope => backupScope({ ...current, storeDir: o.storeDir });
  const status: BackupStatus = { failures: 0 };
  const newest = (await Promise.resolve().then(() => listBackups(scope().dir)).catch(() => [])).find((b) => b.verified === 'ok');
  if (newest) status.lastSuccessAt = Date.parse(newest.createdAt);
  const fail = (what: string, err: unknown) => {
    const error = (err as Error).message;
    status.failures++;
    status.lastFailure = { at: o.clock.now(), error };
    o.log(`${what} failed: ${error}`, 'error');
  };

  const take = async () => {
    try {
      const s = scope();
      const made = await createBackup(s, { reason: 'scheduled', now: () => new Date(o.clock.now()) });
      status.lastSuccessAt = Date.parse(made.manifest.createdAt);
      o.log(`backup ${made.id} taken and verified`, 'info', { files: made.manifest.totals.files, bytes: made.manifest.totals.bytes });
      const removed = (await pruneBackups(s.dir, retentionOf(current.config.backup), new Date(o.clock.now()))).filter((d) => !d.keep);
      for (const d of removed) o.log(`backup ${d.id} ${d.reason}`, 'info');
    } catch (err) { fail('scheduled backup', err); }
  };

  const verify = async () => {
    try {
      const dir = scope().dir;
      let problems = 0, backups = 0;
      for (const id of await backupIds(dir)) {
        const v = await verifyAndRecord(dir, id, new Date(o.clock.now())).catch((e: unknown) => {
          if (e instanceof BackupError && e.code === 'E_BACKUP_NOT_FOUND') return undefined; // pruned meanwhile
          throw e;
        });
        if (!v) continue;
        backups++;
        problems += v.problems.length;
        if (v.problems.length) o.log(`backup ${id} does not match its manifest: ${v.problems.map(describe).join('; ')}`, 'error', { backup: id });
      }
      status.lastVerify = { at: o.clock.now(), ok: problems === 0, backups, problems };
      if (problems === 0) o.log(`verified ${backups} backup${backups === 1 ? '' : 's'}: all match their manifests`, 'info');
    } catch (err) { fail('backup verification', err); }
  };

  // One job at a time: a verification never meets a backup that prune is removing.
  let queue: Promise<void> = Promise.resolve();
  const serial = (fn: () => Promise<void>) => () => (queue = queue.then(fn));

  /** No jobs without a schedule in the project file; with one, its folder is checked first. */
  const jobs = (): JobSpec[] => {
    const when = scheduleOf(current.config.backup);
    if (!when.take) return [];
    scope(); // refuses a backups folder inside what it backs up
    return [{ id: 'backup', cadence: when.take, run: serial(take) }, { id: 'backup-verify', cadence: { every: when.verifyEvery }, run: serial(verify) }];
  };
  const scheduler = new Scheduler(o.clock, { log: (line, level) => o.log(line, level) });
  let armed = jobs();
  for (const j of armed) scheduler.add(j);

  return {
    start: () => scheduler.start(),
    reload(next) {
      try {
        const previous = current;
        current = next;
        try { armed = jobs(); } catch (err) { current = previous; throw err; }
        scheduler.replace(armed);
      } catch (err) { o.log(`backup settings not reloaded: ${(err as Error).message}`, 'error'); }
    },
    stop: (graceMs) => scheduler.stop({ graceMs }),
    status: () => ({ ...status }),
    summary: () => (armed.length === 0 ? {} : { backups: {
      ...(status.lastSuccessAt !== undefined ? { lastSuccessAt: status.lastSuccessAt } : {}),
      ...(status.lastVerify ? { lastVerifyAt: status.lastVerify.at, lastVerifyOk: status.lastVerify.ok } : {}),
      failures: status.failures,
    } }),
    metrics: () => exposition([
      { name: 'pluginops_backup_last_success_timestamp_seconds', help: 'When the newest good backup was made, seconds since the epoch (0: none yet).', type: 'gauge', samples: [{ value: (status.lastSuccessAt ?? 0) / 1000 }] },
      { name: 'pluginops_backup_last_verify_timestamp_seconds', help: 'When every backup was last verified, seconds since the epoch (0: not yet).', type: 'gauge', samples: [{ value: (status.lastVerify?.at ?? 0) / 1000 }] },
      { name: 'pluginops_backup_last_verify_success', help: '1 when the last verification found every backup matching its manifest, 0 when one did not.', type: 'gauge', samples: status.lastVerify ? [{ value: status.lastVerify.ok ? 1 : 0 }] : [] },
      { name: 'pluginops_backup_failures_total', help: 'Scheduled backups and verifications that failed.', type: 'counter', samples: [{ value: status.failures }] },
    ]),
  };
}
