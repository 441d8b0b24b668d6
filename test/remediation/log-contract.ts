// What every remediation log (the port, src/remediation/log-port.ts) must do, whichever holds it:
// followers see what any instance appended, once and in order; folding replays the guard and
// learning; the CLI's feedback and resets are validated and recorded; compaction keeps pending
// remediations and the newest finished ones, and loses nothing appended while it runs. The file
// log runs it in test/remediation/log-port.test.ts, PostgreSQL in test/pg/remediation-log.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RemediationError } from '../../src/remediation/errors.ts';
import type { AttemptEvent, LogEvent } from '../../src/remediation/events.ts';
import type { RemediationState } from '../../src/remediation/fold.ts';
import { decide, guardPolicy } from '../../src/remediation/guard.ts';
import {
  appendFeedback, appendReset, keptRecords, listPatterns, listRecords, readRemediationLog, RemediationFollower, type RemediationLog,
} from '../../src/remediation/log.ts';

/** One log, opened as many times as a test asks: each instance as another process would open it. */
export interface LogWorld {
  open(): Promise<RemediationLog>;
  close(): Promise<void>;
}

export const t0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const min = 60_000;
const policy = guardPolicy({ breakerThreshold: 2 });
const loose = guardPolicy({ cooldownMs: 0, maxPerWindow: 1000, breakerThreshold: 1000 });

export const attempt = (id: string, at: number, more: Partial<AttemptEvent> = {}): AttemptEvent => ({
  type: 'attempt', at, id, incident: `inc-${id}`, rule: 'api-down', check: 'api', plugin: 'billing', category: 'system',
  plan: 'restart', target: 'billing', decision: 'run', runId: `run-${id}`, params: { plugin: 'billing' }, policy, approval: false, ...more,
});
const outcome = (id: string, at: number, o: 'fixed' | 'not-fixed' | 'rejected'): LogEvent => ({ type: 'outcome', at, id, outcome: o });
const comparable = (s: RemediationState) => ({ guard: s.guard, learning: s.learning, records: [...s.records.values()], skipped: s.skipped });

async function rejection(p: Promise<unknown>): Promise<RemediationError> {
  try { await p; } catch (e) { if (e instanceof RemediationError) return e; throw e; }
  throw new Error('expected a RemediationError');
}

export function logContract(name: string, make: () => Promise<LogWorld>): { run(): void } {
  const t = suite<{ w: LogWorld }>(`remediation log contract: ${name}`);
  t.before.each(async (ctx) => { ctx.w = await make(); });
  t.after.each(async (ctx) => { await ctx.w.close(); });

  t('a follower applies what either instance appended since its last sync, once each and in order', async ({ w }) => {
    const [a, b] = [await w.open(), await w.open()];
    const follower = new RemediationFollower(a);
    assert.equal(await follower.sync(), [], 'nothing appended yet');
    assert.is(follower.size, 0);

    await a.append(attempt('a', t0));
    await b.append(outcome('a', t0 + min, 'not-fixed'));
    assert.equal((await follower.sync()).map((x) => x.event.type), ['attempt', 'outcome']);
    assert.equal(await follower.sync(), [], 'read once');
    assert.ok(follower.size > 0, 'what was read is counted');
    await b.append(attempt('b', t0 + 2 * min));
    assert.equal((await follower.sync()).map((x) => (x.event as { id: string }).id), ['b']);
    assert.equal([...follower.state.records.keys()], ['a', 'b']);
    assert.is(follower.state.records.get('a')!.outcome, 'not-fixed');

    const again = await follower.restart();
    assert.is(again.length, 3, 'a restart reads the log again from its start');
    assert.equal(comparable(await readRemediationLog(b)), comparable(follower.state));
  });

  t('folding replays the guard: cooldown, the breaker opening on the threshold, a reset closing it', async ({ w }) => {
    const log = await w.open();
    const follower = new RemediationFollower(log);
    await log.append(attempt('a', t0));
    await follower.sync();
    const key = { plan: 'restart', target: 'billing' };
    assert.is(decide(follower.state.guard, key, policy, t0 + 10 * min).decision.kind, 'skip', 'in cooldown after reading the log');

    await log.append(outcome('a', t0 + min, 'not-fixed'));
    assert.is((await follower.sync())[0]!.breaker, undefined);
    await log.append(attempt('b', t0 + 2 * 60 * min));
    await log.append(outcome('b', t0 + 2 * 60 * min + min, 'not-fixed'));
    assert.is((await follower.sync()).at(-1)!.breaker, 'opened');
    await log.append(attempt('c', t0 + 4 * 60 * min));
    await log.append(outcome('c', t0 + 4 * 60 * min + min, 'rejected'));
    await follower.sync();
    const open = Object.values(follower.state.guard.keys)[0]!;
    assert.equal([open.breaker.status, open.consecutiveBad], ['open', 2], 'a rejection does not count');

    await appendReset(await w.open(), 'restart', 'billing', 'alice', t0 + 5 * 60 * min);
    await follower.sync();
    const k = Object.values(follower.state.guard.keys)[0]!;
    assert.equal([k.breaker.status, k.consecutiveBad, k.lastReset], ['closed', 0, { by: 'alice', at: t0 + 5 * 60 * min }]);
    assert.equal(listPatterns(follower.state, { scope: 'api-down' }).map((p) => [p.key.plan, p.key.plugin, p.failures]), [['restart', 'billing', 2]]);
    assert.is(listPatterns(follower.state, { scope: 'category:system' }).length, 1);
  });

  t('an event from a clock a little behind is applied at the guard\'s last time instead of failing', async ({ w }) => {
    const log = await w.open();
    await log.append(attempt('a', t0 + min));
    await appendReset(log, 'restart', 'billing', 'alice', t0);
    assert.equal(Object.values((await readRemediationLog(log)).guard.keys)[0]!.lastReset, { by: 'alice', at: t0 + min });
  });

  t('feedback and resets given through the CLI\'s functions are validated, recorded and learned', async ({ w }) => {
    const log = await w.open();
    await log.append(attempt('a', t0));
    await log.append(outcome('a', t0 + min, 'fixed'));
    await log.append(attempt('dry', t0, { incident: 'inc-dry', decision: 'dry-run', runId: undefined }));
    const good = { positive: true, reason: 'quick and right', by: 'alice' };
    assert.is((await rejection(appendFeedback(log, 'inc-nope', good, t0))).code, 'E_UNKNOWN_INCIDENT');
    assert.is((await rejection(appendFeedback(log, 'inc-quiet', good, t0, (id) => id === 'inc-quiet'))).code, 'E_NO_REMEDIATION', 'known to the monitor, never remediated');
    const dry = await rejection(appendFeedback(log, 'inc-dry', good, t0));
    assert.equal([dry.code, /only dry runs were recorded/.test(dry.message)], ['E_NO_REMEDIATION', true]);
    const bad = await rejection(appendFeedback(log, 'inc-a', { positive: true, expected: 'y'.repeat(1001), by: '' }, t0));
    assert.equal([bad.code, bad.problems.map((p) => p.field)], ['E_FEEDBACK_INVALID', ['by', 'expected']]);
    assert.equal((await rejection(appendReset(log, 'restart', '', ' ', t0))).problems.map((p) => p.field), ['target', 'by']);

    const record = await appendFeedback(await w.open(), 'inc-a', good, t0 + 2 * min);
    assert.is(record.id, 'a');
    const state = await readRemediationLog(log);
    assert.equal(state.records.get('a')!.feedback, [{ at: t0 + 2 * min, positive: true, reason: 'quick and right', by: 'alice' }]);
    const [p] = listPatterns(state, { scope: 'api-down', plugin: 'billing' });
    assert.equal([p!.successes, p!.positive, p!.lastReasons], [1, 1, ['quick and right']]);
  });

  t('a compacted log folds to the same state, keeps pending remediations, and what is appended next follows it', async ({ w }) => {
    const [log, other] = [await w.open(), await w.open()];
    for (let i = 0; i < 20; i++) {
      await log.append(attempt(`r${i}`, t0 + i * 1000, { policy: loose, target: `t-${i}` }));
      await log.append(outcome(`r${i}`, t0 + i * 1000 + 500, i % 3 === 0 ? 'not-fixed' : 'fixed'));
    }
    await log.append({ type: 'feedback', at: t0 + 30_000, id: 'r4', incident: 'inc-r4', positive: true, by: 'dana', reason: 'quick' });
    await log.append({ type: 'skipped', at: t0 + 35_000, incident: 'inc-x', rule: 'api-down', target: 'api', plans: ['restart'], reason: 'self-healing-off', text: 'skipped: self-healing off' });
    await log.append(attempt('pending', t0 + 40_000, { policy: loose }));
    const reader = new RemediationFollower(other);
    await reader.sync();
    const before = await readRemediationLog(log);
    const compactor = new RemediationFollower(log);
    await compactor.sync();

    assert.equal(await compactor.compact(t0 + 50_000), [], 'nothing new to catch up on');
    assert.equal(comparable(compactor.state), comparable(before), 'the compacting follower goes on with the same state');
    const fresh = new RemediationFollower(await w.open());
    const read = await fresh.sync();
    assert.equal(read.map((x) => x.event.type), ['snapshot'], 'the log is one snapshot');
    assert.equal(comparable(fresh.state), comparable(before));
    assert.equal(listPatterns(fresh.state), listPatterns(before));
    assert.equal(listRecords(fresh.state, { pending: true }).map((r) => r.id), ['pending']);
    assert.ok(fresh.size > 0);
    assert.is(compactor.size, fresh.size, 'the compactor counts from the snapshot, as a new reader does');

    await other.append(outcome('pending', t0 + 60_000, 'fixed'));
    for (const f of [compactor, reader, fresh]) {
      await f.sync();
      assert.is(f.state.records.get('pending')!.outcome, 'fixed', 'appends after the compaction follow the snapshot');
    }
    assert.equal(comparable(reader.state), comparable(compactor.state), 'a reader that read the log before its compaction agrees');
  });

  t(`only the newest ${keptRecords} finished remediations are kept; learning keeps counting them all`, async ({ w }) => {
    const log = await w.open();
    const n = keptRecords + 50;
    for (let i = 0; i < n; i++) {
      await log.append(attempt(`r${i}`, t0 + i * 10, { policy: loose, target: 'same' }));
      await log.append(outcome(`r${i}`, t0 + i * 10 + 5, 'fixed'));
    }
    await new RemediationFollower(log).compact(t0 + n * 10);
    const after = await readRemediationLog(await w.open());
    const ids = [...after.records.keys()];
    assert.equal([ids.length, ids[0], ids.at(-1)], [keptRecords, 'r50', `r${n - 1}`]);
    assert.is(listPatterns(after)[0]!.successes, n);
  });

  t('appends racing a compaction from another instance are all kept, and every reader ends with all of them', async ({ w }) => {
    const [log, other] = [await w.open(), await w.open()];
    for (let i = 0; i < 10; i++) await log.append(attempt(`a${i}`, t0 + i, { policy: loose, target: `a${i}` }));
    const reader = new RemediationFollower(other);
    await reader.sync();
    const compactor = new RemediationFollower(log);
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => other.append(attempt(`b${i}`, t0 + 100 + i, { policy: loose, target: `b${i}` }))),
      compactor.compact(t0 + 50),
      ...Array.from({ length: 40 }, (_, i) => other.append(attempt(`c${i}`, t0 + 200 + i, { policy: loose, target: `c${i}` }))),
    ]);
    assert.is((await readRemediationLog(await w.open())).records.size, 90, 'nothing appended during the compaction was lost');
    for (const f of [reader, compactor]) {
      await f.sync();
      assert.is(f.state.records.size, 90);
    }
  });

  return t;
}
