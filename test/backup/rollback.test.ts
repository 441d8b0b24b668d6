// A plugin rollback takes a pinned safety backup first, so restoring it undoes the rollback; a
// rollback whose safety backup cannot be taken changes nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, deliveryProject, ledger, liveRelease } from '../delivery/helpers.ts';

const deploy = (dir: string, plugin: string) => cli(['run', 'quick_deploy', '--plugin', `plugins/${plugin}`, '--json'], dir);
type Listed = { id: string; pinned: boolean; reason: string; verified: string };
const backups = async (dir: string) => JSON.parse((await cli(['backup', 'list', '--json'], dir)).stdout) as Listed[];

test('pluginops rollback takes a pinned safety backup first; restoring it puts the rolled-back release live again', async () => {
  const dir = deliveryProject('hello', 'broken-health');
  try {
    assert.is((await deploy(dir, 'hello')).code, 0);
    const v1 = liveRelease(dir, 'hello');
    assert.is((await deploy(dir, 'broken-health')).code, 0);
    const v2 = liveRelease(dir, 'hello');
    assert.equal(await backups(dir), []);
    const back = await cli(['rollback', 'hello'], dir);
    assert.is(back.code, 0, back.stderr + back.stdout);
    assert.is(liveRelease(dir, 'hello'), v1);
    const [safety, ...more] = await backups(dir);
    assert.is(more.length, 0);
    assert.ok(safety!.pinned);
    assert.is(safety!.verified, 'ok');
    assert.match(safety!.reason, /^safety: before the rollback of hello on local \(execution \S+\)$/);
    assert.match(back.stdout, new RegExp(`safety backup ${safety!.id} taken`));
    const restored = await cli(['backup', 'restore', safety!.id], dir);
    assert.is(restored.code, 0, restored.stderr);
    assert.is(liveRelease(dir, 'hello'), v2);
    assert.equal(ledger(dir, 'hello').map((l) => l.action), ['deploy', 'deploy']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a rollback whose safety backup cannot be taken is refused and changes nothing', async () => {
  const dir = deliveryProject('hello', 'broken-health');
  try {
    assert.is((await deploy(dir, 'hello')).code, 0);
    assert.is((await deploy(dir, 'broken-health')).code, 0);
    const v2 = liveRelease(dir, 'hello');
    writeFileSync(join(dir, 'pluginops.yml'), 'apiVersion: pluginops/v1\nkind: Project\nbackup: { dir: .pluginops/backups }\n');
    const back = await cli(['rollback', 'hello'], dir);
    assert.is(back.code, 1);
    assert.match(back.stderr + back.stdout, /rollback of hello refused: the safety backup failed \(E_BACKUP_CONFIG\): the backups folder .* lies inside store/);
    assert.is(liveRelease(dir, 'hello'), v2);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test.run();
