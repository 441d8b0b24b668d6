// Backups in serve: scheduled on the project file's interval, pruned, verified periodically, the
// results in /metrics and /api/status; the store is owned by serve while it runs, so a restore is
// refused until it stops.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualClock } from '../../src/engine/clock.ts';
import { loadProject } from '../../src/project/load.ts';
import { listBackups } from '../../src/backup/list.ts';
import { backupJobs } from '../../src/serve/backups.ts';
import { cli, cliCommand, until } from '../cli/helpers.ts';
import { makeProject } from './helpers.ts';

const hour = 3_600_000;

test('scheduled backups on a virtual clock: taken, pruned, verified; a corrupted byte shows in the metrics', async () => {
  const dir = makeProject('  interval: 1h\n  verifyInterval: 6h\n');
  try {
    // Every backup counts as old: the newest 2 (keepCount) stay, and pinned ones.
    writeFileSync(join(dir, 'pluginops.yml'), readFileSync(join(dir, 'pluginops.yml'), 'utf8').replace('keepDays: 7', 'keepDays: 0'));
    const backups = join(dir, '.pluginops-backups');
    const clock = new VirtualClock(Date.parse('2026-12-07T00:00:00Z'));
    const logs: string[] = [];
    const project = await loadProject(dir);
    const jobs = await backupJobs(project, { storeDir: project.storeDir, clock, log: (line, level) => logs.push(`${level} ${line}`) });
    assert.match(jobs.metrics(), /^pluginops_backup_last_success_timestamp_seconds 0$/m);
    assert.equal(jobs.summary(), { backups: { failures: 0 } });
    jobs.start();
    await clock.advance(0); // the first slot is now
    await until(() => jobs.status().lastSuccessAt === clock.now() && jobs.status().lastVerify !== undefined);
    for (let i = 1; i <= 3; i++) {
      await clock.advance(hour);
      await until(() => jobs.status().lastSuccessAt === clock.now());
    }
    await until(async () => (await listBackups(backups)).length === 2);
    const list = await listBackups(backups);
    assert.equal(list.map((b) => [b.createdAt, b.reason]), [['2026-12-07T03:00:00.000Z', 'scheduled'], ['2026-12-07T02:00:00.000Z', 'scheduled']]);
    assert.ok(logs.some((l) => /^info backup \S+ removed because it is \d+ h old, older than 0 days, and not among the newest 2$/.test(l)), logs.join('\n'));
    assert.match(jobs.metrics(), new RegExp(`^pluginops_backup_last_success_timestamp_seconds ${clock.now() / 1000}$`, 'm'));
    // Pin the older one (so prune keeps it) and corrupt one of its files; the verification at 6 h finds it.
    const victim = list[1]!;
    assert.is((await cli(['backup', 'pin', victim.id], dir)).code, 0);
    const m = JSON.parse(readFileSync(join(backups, victim.id, 'manifest.json'), 'utf8')) as { entries: Array<{ path: string; type: string }> };
    const file = m.entries.find((e) => e.type === 'file')!.path;
    writeFileSync(join(backups, victim.id, 'data', file), 'tampered');
    await clock.advance(3 * hour);
    await until(() => jobs.status().lastVerify?.at === clock.now() && jobs.status().lastSuccessAt === clock.now());
    assert.equal({ ...jobs.status().lastVerify, at: 0 }, { at: 0, ok: false, backups: 3, problems: 1 }); // the newest 2 and the pinned one
    assert.match(jobs.metrics(), /^pluginops_backup_last_verify_success 0$/m);
    assert.ok(logs.some((l) => l.startsWith(`error backup ${victim.id} does not match its manifest: ${file}`)), logs.join('\n'));
    assert.equal(jobs.summary().backups?.lastVerifyOk, false);
    await jobs.stop(1000);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('serve --cron takes backups, shows them in /metrics and /api/status, and owns the store until it stops', async () => {
  const dir = makeProject('  interval: 1s\nserver: { anonymousRead: true }\n');
  try {
    const child = spawn(process.execPath, [...cliCommand, 'serve', '--cron', '--port', '0', '--log', 'json'], { cwd: dir, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    await until(() => /listening on http:\/\/[^ "]+/.test(out), 30_000);
    const url = /listening on (http:\/\/[^ "]+)/.exec(out)![1]!;
    try {
      await until(async () => /^pluginops_backup_last_success_timestamp_seconds [1-9]/m.test(await (await fetch(`${url}/metrics`)).text()), 30_000);
      const status = await (await fetch(`${url}/api/status`)).json() as { data: { backups?: { lastSuccessAt?: string; failures: number } } };
      assert.ok(status.data.backups?.lastSuccessAt && !Number.isNaN(Date.parse(status.data.backups.lastSuccessAt)));
      assert.is(status.data.backups?.failures, 0);
      assert.ok(existsSync(join(dir, '.pluginops', 'control', 'serve.owner')));
      const [b] = JSON.parse((await cli(['backup', 'list', '--json'], dir)).stdout) as Array<{ id: string }>;
      const refused = await cli(['backup', 'restore', b!.id], dir);
      assert.is(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`E_BACKUP_BUSY: serve \\(pid ${child.pid} `));
    } finally {
      child.kill('SIGTERM');
    }
    assert.is(await exited, 0);
    assert.not.ok(existsSync(join(dir, '.pluginops', 'control', 'serve.owner')));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test.run();
