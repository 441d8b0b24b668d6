// `pluginops backup create|list|verify|restore|prune|pin|unpin`: backups of the store, the
// project's documents and the releases of its directory targets (docs/backups.md).
import { resolve } from 'node:path';
import { createBackup } from '../../backup/create.ts';
import { backupIds, checkBackupId, isPinned, pinPath, writeSide } from '../../backup/folder.ts';
import { listBackups, type BackupSummary } from '../../backup/list.ts';
import { retentionOf } from '../../backup/policy.ts';
import { pruneBackups } from '../../backup/prune.ts';
import { restoreBackup } from '../../backup/restore.ts';
import { backupScope, type BackupScope } from '../../backup/scope.ts';
import { describe, verifyAndRecord } from '../../backup/verify.ts';
import { BackupError } from '../../backup/errors.ts';
import { rm } from 'node:fs/promises';
import { loadProject, type Project } from '../../project/load.ts';
import type { CliContext } from '../context.ts';
import { defineCommand } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';

const common = { config: { type: 'string', short: 'c' }, store: { type: 'string' }, json: { type: 'boolean' } } as const;

async function scopeOf(ctx: CliContext, values: { config?: string; store?: string }): Promise<{ project: Project; scope: BackupScope }> {
  const loaded = await loadProject(ctx.cwd, values.config);
  const project = values.store ? { ...loaded, storeDir: resolve(ctx.cwd, values.store) } : loaded;
  return { project, scope: backupScope(project) };
}

const oneId = (positionals: string[], usage: string): string => {
  if (positionals.length !== 1) throw new CliError('E_USAGE', `expected one backup id\nusage: ${usage}`);
  return checkBackupId(positionals[0]);
};

export const size = (bytes: number): string =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : bytes < 1024 ** 3 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${(bytes / 1024 ** 3).toFixed(2)} GiB`;

/** A pause after each copied file, for tests that kill a backup midway (PLUGINOPS_BACKUP_FILE_DELAY_MS). */
function slowCopy(env: CliContext['env']): (() => Promise<void>) | undefined {
  const ms = Number(env.PLUGINOPS_BACKUP_FILE_DELAY_MS);
  return ms > 0 ? () => new Promise((ok) => setTimeout(ok, ms)) : undefined;
}

export const backupCreateCommand = defineCommand({
  name: 'backup create',
  summary: 'Back up the store, the documents and the releases (checksummed, verified, all or nothing)',
  usage: 'pluginops backup create [--reason TEXT] [--pin] [--json] [--config FILE] [--store DIR]',
  options: { ...common, reason: { type: 'string' }, pin: { type: 'boolean' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `backup create takes no arguments\nusage: ${this.usage}`);
    const { scope } = await scopeOf(ctx, values);
    const afterFile = slowCopy(ctx.env);
    const made = await createBackup(scope, { reason: values.reason ?? 'manual', pinned: values.pin === true, ...(afterFile ? { afterFile } : {}) });
    for (const s of made.skipped) ctx.stderr.write(`warning: ${s} is not a file, folder or link; not backed up\n`);
    if (values.json) { ctx.stdout.write(`${JSON.stringify({ id: made.id, path: made.path, ...made.manifest.totals, roots: made.manifest.roots.map((r) => r.name), pinned: made.manifest.pinned }, null, 2)}\n`); return exitCodes.success; }
    const m = made.manifest;
    ctx.stdout.write(`backup ${made.id} created and verified: ${m.totals.files} files, ${size(m.totals.bytes)} (${m.roots.map((r) => r.present ? r.name : `${r.name} (absent)`).join(', ')})${m.pinned ? ', pinned' : ''}\n  in ${made.path}\n`);
    return exitCodes.success;
  },
});

const row = (b: BackupSummary) => [b.id, b.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z'), size(b.bytes), String(b.files), b.pinned ? 'pinned' : '-', b.verified, b.reason || b.problem || ''];

export const backupListCommand = defineCommand({
  name: 'backup list',
  summary: 'Backups, newest first: size, files, reason, pinned, last verification',
  usage: 'pluginops backup list [--json] [--config FILE] [--store DIR]',
  options: { ...common },
  async run({ values }, ctx) {
    const { scope } = await scopeOf(ctx, values);
    const list = await listBackups(scope.dir);
    if (values.json) { ctx.stdout.write(`${JSON.stringify(list, null, 2)}\n`); return exitCodes.success; }
    if (list.length === 0) { ctx.stdout.write(`no backups in ${scope.dir}\n`); return exitCodes.success; }
    const rows = [['ID', 'CREATED', 'SIZE', 'FILES', 'PINNED', 'VERIFIED', 'REASON'], ...list.map(row)];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) ctx.stdout.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`);
    return exitCodes.success;
  },
});

export const backupVerifyCommand = defineCommand({
  name: 'backup verify',
  summary: 'Hash every file of a backup (or --all) again against its manifest; exit 1 on any mismatch',
  usage: 'pluginops backup verify (ID | --all) [--json] [--config FILE] [--store DIR]',
  options: { ...common, all: { type: 'boolean' } },
  async run({ values, positionals }, ctx) {
    if (values.all === (positionals.length > 0)) throw new CliError('E_USAGE', `give one backup id or --all\nusage: ${this.usage}`);
    const { scope } = await scopeOf(ctx, values);
    const ids = values.all ? await backupIds(scope.dir) : [oneId(positionals, this.usage)];
    const results = [];
    for (const id of ids) {
      try { results.push(await verifyAndRecord(scope.dir, id, new Date())); } catch (e) {
        if (values.all && e instanceof BackupError && e.code === 'E_BACKUP_NOT_FOUND') continue; // pruned meanwhile
        throw e;
      }
    }
    const bad = results.filter((r) => r.problems.length);
    if (values.json) ctx.stdout.write(`${JSON.stringify(results.map((r) => ({ id: r.id, ok: r.problems.length === 0, files: r.manifest.totals.files, problems: r.problems })), null, 2)}\n`);
    else {
      if (results.length === 0) ctx.stdout.write(`no backups in ${scope.dir}\n`);
      for (const r of results) {
        if (r.problems.length === 0) ctx.stdout.write(`${r.id}: ok (${r.manifest.totals.files} files, ${size(r.manifest.totals.bytes)})\n`);
        else ctx.stderr.write(`${r.id}: does not match its manifest\n${r.problems.map((p) => `  ${describe(p)}\n`).join('')}`);
      }
    }
    return bad.length ? exitCodes.failed : exitCodes.success;
  },
});

export const backupRestoreCommand = defineCommand({
  name: 'backup restore',
  summary: 'Put a verified backup back in place, after a pinned safety backup of the current state',
  usage: 'pluginops backup restore ID [--json] [--config FILE] [--store DIR]',
  options: { ...common },
  async run({ values, positionals }, ctx) {
    const id = oneId(positionals, this.usage);
    const { scope } = await scopeOf(ctx, values);
    const r = await restoreBackup(scope, id);
    if (values.json) { ctx.stdout.write(`${JSON.stringify({ id, restored: r.restored, notRestored: r.notRestored, safetyBackup: r.safety.id }, null, 2)}\n`); return exitCodes.success; }
    ctx.stdout.write(`restored ${id}: ${r.restored.join(', ')}\nthe state before is in the pinned safety backup ${r.safety.id}\n`);
    for (const n of r.notRestored) ctx.stderr.write(`warning: ${n} is in the backup but the project no longer names it; left alone\n`);
    return exitCodes.success;
  },
});

export const backupPruneCommand = defineCommand({
  name: 'backup prune',
  summary: 'Remove backups past retention (backup.keepDays, backup.keepCount); --dry-run says what and why',
  usage: 'pluginops backup prune [--dry-run] [--json] [--config FILE] [--store DIR]',
  options: { ...common, 'dry-run': { type: 'boolean' } },
  async run({ values }, ctx) {
    const { project, scope } = await scopeOf(ctx, values);
    const dryRun = values['dry-run'] === true;
    const decisions = await pruneBackups(scope.dir, retentionOf(project.config.backup), new Date(), { dryRun });
    if (values.json) { ctx.stdout.write(`${JSON.stringify(decisions, null, 2)}\n`); return exitCodes.success; }
    if (decisions.length === 0) { ctx.stdout.write(`no backups in ${scope.dir}\n`); return exitCodes.success; }
    for (const d of decisions) ctx.stdout.write(`${d.keep ? 'keep  ' : dryRun ? 'would remove' : 'removed'} ${d.id}: ${d.reason}\n`);
    return exitCodes.success;
  },
});

const pinning = (pin: boolean) => defineCommand({
  name: pin ? 'backup pin' : 'backup unpin',
  summary: pin ? 'Keep a backup whatever its age (prune never removes a pinned backup)' : 'Let prune consider a pinned backup again',
  usage: `pluginops backup ${pin ? 'pin' : 'unpin'} ID [--config FILE] [--store DIR]`,
  options: { ...common },
  async run({ values, positionals }, ctx) {
    const id = oneId(positionals, this.usage);
    const { scope } = await scopeOf(ctx, values);
    if (!(await backupIds(scope.dir)).includes(id)) throw new BackupError('E_BACKUP_NOT_FOUND', `no backup ${id} in ${scope.dir} (see backup list)`);
    if (pin) await writeSide(scope.dir, pinPath(scope.dir, id), `${JSON.stringify({ at: new Date().toISOString(), reason: 'pinned by hand' })}\n`);
    else if (await isPinned(scope.dir, id)) await rm(pinPath(scope.dir, id));
    ctx.stdout.write(`${id} ${pin ? 'pinned' : 'unpinned'}\n`);
    return exitCodes.success;
  },
});

export const backupPinCommand = pinning(true);
export const backupUnpinCommand = pinning(false);
