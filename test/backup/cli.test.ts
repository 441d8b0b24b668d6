// `pluginops backup …` as users run it: exit codes and messages, prune's reasons, a restore refused
// while `serve` owns the store, and a backup killed with SIGKILL midway leaving nothing visible.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimStore } from '../../src/store/serve-owner.ts';
import { cli, cliCommand, until } from '../cli/helpers.ts';
import { makeProject } from './helpers.ts';

const ids = async (dir: string): Promise<string[]> => (JSON.parse((await cli(['backup', 'list', '--json'], dir)).stdout) as Array<{ id: string }>).map((b) => b.id);

test('create, list, verify; a corrupted byte makes verify exit 1 naming the file', async () => {
  const dir = makeProject();
  try {
    const made = await cli(['backup', 'create', '--reason', 'nightly'], dir);
    assert.is(made.code, 0, made.stderr);
    assert.match(made.stdout, /^backup \S+ created and verified: 6 files, .* \(store, project, documents:pipelines, releases:prod\)/);
    const [id] = await ids(dir);
    const list = await cli(['backup', 'list'], dir);
    assert.match(list.stdout, /^ID\s+CREATED\s+SIZE\s+FILES\s+PINNED\s+VERIFIED\s+REASON\n/);
    assert.match(list.stdout, new RegExp(`${id}\\s+\\S+ \\S+\\s+\\d+ B\\s+6\\s+-\\s+ok\\s+nightly`));
    assert.is((await cli(['backup', 'verify', id!], dir)).code, 0);
    const manifest = JSON.parse(readFileSync(join(dir, '.pluginops-backups', id!, 'manifest.json'), 'utf8')) as { entries: Array<{ path: string }> };
    const ledger = manifest.entries.find((e) => e.path.endsWith('ledger.jsonl'))!.path;
    const file = join(dir, '.pluginops-backups', id!, 'data', ledger);
    const bytes = readFileSync(file);
    bytes[5] = bytes[5]! ^ 1;
    writeFileSync(file, bytes);
    const bad = await cli(['backup', 'verify', '--all'], dir);
    assert.is(bad.code, 1);
    assert.match(bad.stderr, new RegExp(`${id}: does not match its manifest\\n  ${ledger} \\(from ${join(dir, 'srv', 'hello', 'ledger.jsonl')}\\): SHA-256`));
    const restore = await cli(['backup', 'restore', id!], dir);
    assert.is(restore.code, 1);
    assert.match(restore.stderr, new RegExp(`E_BACKUP_CORRUPT: .*restore refused[^]*${ledger}`));
    assert.match((await cli(['backup', 'list'], dir)).stdout, new RegExp(`${id}.*failed`));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('bad input: unknown and path-like ids, missing arguments', async () => {
  const dir = makeProject();
  try {
    const unknown = await cli(['backup', 'restore', '2026-01-01T00-00-00Z-abcdef'], dir);
    assert.is(unknown.code, 1);
    assert.match(unknown.stderr, /^error: E_BACKUP_NOT_FOUND: no backup 2026-01-01T00-00-00Z-abcdef in .*\(see backup list\)\n$/);
    for (const args of [['verify', '../x'], ['restore', '../../etc'], ['pin', '/tmp/x']]) {
      const r = await cli(['backup', ...args], dir);
      assert.is(r.code, 1, args.join(' '));
      assert.match(r.stderr, /^error: E_BAD_ID: invalid backup id/);
    }
    assert.is((await cli(['backup', 'verify'], dir)).code, 2);
    assert.is((await cli(['backup', 'restore'], dir)).code, 2);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('prune --dry-run says what would go and why, then prune removes it; pinned backups stay', async () => {
  const dir = makeProject();
  try {
    for (let i = 0; i < 4; i++) assert.is((await cli(['backup', 'create'], dir)).code, 0);
    const [newest, second, third, oldest] = await ids(dir);
    // Backups are checksummed, so they are not aged by hand: keepDays 0 makes every one old instead.
    writeFileSync(join(dir, 'pluginops.yml'), readFileSync(join(dir, 'pluginops.yml'), 'utf8').replace('keepDays: 7', 'keepDays: 0'));
    assert.is((await cli(['backup', 'pin', oldest!], dir)).code, 0);
    const dry = await cli(['backup', 'prune', '--dry-run'], dir);
    assert.is(dry.code, 0);
    assert.match(dry.stdout, new RegExp(`keep   ${newest}: kept because it is the newest verified backup`));
    assert.match(dry.stdout, new RegExp(`keep   ${second}: kept because it is among the newest 2`));
    assert.match(dry.stdout, new RegExp(`would remove ${third}: removed because it is 0 h old, older than 0 days, and not among the newest 2`));
    assert.match(dry.stdout, new RegExp(`keep   ${oldest}: kept because it is pinned`));
    assert.equal(await ids(dir), [newest, second, third, oldest]);
    const real = await cli(['backup', 'prune'], dir);
    assert.match(real.stdout, new RegExp(`removed ${third}`));
    assert.equal(await ids(dir), [newest, second, oldest]);
    assert.not.ok(existsSync(join(dir, '.pluginops-backups', `${third}.verify.json`)));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('restore is refused while a serve owns the store, and works once it is gone', async () => {
  const dir = makeProject();
  try {
    assert.is((await cli(['backup', 'create'], dir)).code, 0);
    const [id] = await ids(dir);
    const release = await claimStore(join(dir, '.pluginops'));
    const busy = await cli(['backup', 'restore', id!], dir);
    assert.is(busy.code, 1);
    assert.match(busy.stderr, new RegExp(`E_BACKUP_BUSY: serve \\(pid ${process.pid} on .*\\) owns the store .*; stop it before restoring`));
    await release();
    const ok = await cli(['backup', 'restore', id!], dir);
    assert.is(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /the state before is in the pinned safety backup \S+/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('SIGKILL in the middle of a backup leaves no visible backup; the next create cleans up', async () => {
  const dir = makeProject();
  try {
    const backups = join(dir, '.pluginops-backups');
    const child = spawn(process.execPath, [...cliCommand, 'backup', 'create'], {
      cwd: dir, env: { ...process.env, PLUGINOPS_BACKUP_FILE_DELAY_MS: '400' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<string | null>((ok) => child.on('exit', (_code, signal) => ok(signal)));
    // Wait until it has copied some files but not all (each copy is followed by a 400 ms pause).
    const copied = () => {
      const temp = existsSync(backups) ? readdirSync(backups).find((n) => n.startsWith('.tmp-')) : undefined;
      return temp ? readdirSync(join(backups, temp, 'data'), { recursive: true }).length : 0;
    };
    await until(() => copied() >= 2, 30_000);
    child.kill('SIGKILL');
    assert.is(await exited, 'SIGKILL');
    assert.ok(readdirSync(backups).some((n) => n.startsWith('.tmp-')), 'the partial copy is there, hidden');
    assert.not.ok(readdirSync(backups).some((n) => /^\d{4}-/.test(n)), 'no backup folder');
    const list = await cli(['backup', 'list'], dir);
    assert.match(list.stdout, /^no backups in /);
    assert.equal(JSON.parse((await cli(['backup', 'list', '--json'], dir)).stdout), []);
    // The dead process's lock does not hold the next create up; its partial copy is removed.
    const lock = join(backups, '.lock');
    assert.ok(existsSync(lock));
    utimesSync(lock, new Date(), new Date());
    const started = Date.now();
    const next = await cli(['backup', 'create'], dir);
    assert.is(next.code, 0, next.stderr);
    assert.ok(Date.now() - started < 8_000, 'a dead holder\'s lock is taken over at once');
    assert.not.ok(readdirSync(backups).some((n) => n.startsWith('.tmp-')));
    assert.is((await ids(dir)).length, 1);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test.run();
