// The `backup:` settings of the project file as values: retention defaults, and the schedule.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BackupError } from '../../src/backup/errors.ts';
import { retentionOf, scheduleOf } from '../../src/backup/policy.ts';

test('retention defaults to 7 days and 3 backups; the project file overrides either', () => {
  assert.equal(retentionOf(undefined), { keepDays: 7, keepCount: 3 });
  assert.equal(retentionOf({ keepCount: 10 }), { keepDays: 7, keepCount: 10 });
  assert.equal(retentionOf({ keepDays: 0, keepCount: 1 }), { keepDays: 0, keepCount: 1 });
});

test('a schedule is an interval or a cron expression; without one serve takes no backups', () => {
  assert.equal(scheduleOf(undefined), { verifyEvery: 86_400_000 });
  assert.equal(scheduleOf({ interval: '6h', verifyInterval: '30m' }), { take: { every: 21_600_000 }, verifyEvery: 1_800_000 });
  assert.equal(scheduleOf({ cron: '0 3 * * *', timeZone: 'Asia/Seoul' }), { take: { cron: '0 3 * * *', timeZone: 'Asia/Seoul' }, verifyEvery: 86_400_000 });
  for (const [doc, says] of [
    [{ interval: '1h', cron: '0 3 * * *' }, /give `interval` or `cron`, found both/],
    [{ interval: '1h', timeZone: 'UTC' }, /`timeZone` applies to `cron`/],
  ] as const) {
    let e: unknown;
    try { scheduleOf(doc); } catch (err) { e = err; }
    assert.ok(e instanceof BackupError);
    assert.is((e as BackupError).code, 'E_BACKUP_CONFIG');
    assert.match((e as BackupError).message, says);
  }
});

test.run();
