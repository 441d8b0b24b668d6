// The remediation log as files on disk: torn and garbage lines are skipped, appends from other
// processes are picked up incrementally, folding replays the guard and learning, and the
// functions the CLI uses without a running serve validate what people give them.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RemediationError } from '../../src/remediation/errors.ts';
import type { AttemptEvent, LogEvent } from '../../src/remediation/events.ts';
import { decide, guardPolicy } from '../../src/remediation/guard.ts';
import {
  appendEvent, appendFeedback, appendReset, listPatterns, listRecords, LogFollower, readRemediationLog,
} from '../../src/remediation/log.ts';

const t0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const min = 60_000;
const policy = guardPolicy({ breakerThreshold: 2 });

const logFile = () => join(mkdtempSync(join(tmpdir(), 'pluginops-remediation-')), 'store', 'remediation.jsonl');

const attempt = (id: string, at: number, more: Partial<AttemptEvent> = {}): AttemptEvent => ({
  type: 'attempt', at, id, incident: `inc-${id}`, rule: 'api-down', check: 'api', plugin: 'billing', category: 'system',
  plan: 'restart', target: 'billing', decision: 'run', runId: `run-${id}`, params: { plugin: 'billing' }, policy, approval: false, ...more,
});
const outcome = (id: string, at: number, o: 'fixed' | 'not-fixed' | 'rejected'): LogEvent => ({ type: 'outcome', at, id, outcome: o });
const line = (e: LogEvent) => `${JSON.stringify(e)}\n`;

async function rejection(p: Promise<unknown>): Promise<RemediationError> {
  try { await p; } catch (e) { if (e instanceof RemediationError) return e; throw e; }
  throw new Error('expected a RemediationError');
}

test('torn and garbage lines are skipped; the next append starts on a fresh line', async () => {
  const path = logFile();
  await appendEvent(path, attempt('a', t0));
  appendFileSync(path, 'not json at all\n{"type":"attempt","at":1}\n\n');
  await appendEvent(path, outcome('a', t0 + min, 'fixed'));
  appendFileSync(path, '{"type":"reset","at":17726');

  const state = await readRemediationLog(path);
  assert.equal(listRecords(state).map((r) => [r.id, r.outcome]), [['a', 'fixed']]);

  await appendReset(path, 'restart', 'billing', 'alice', t0 + 2 * min);
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.is(lines.at(-3), '{"type":"reset","at":17726', 'the torn line stays on its own line');
  assert.match(lines.at(-2)!, /^\{"type":"reset","at":\d+,"plan":"restart","target":"billing","by":"alice"\}$/);
  const after = await readRemediationLog(path);
  assert.equal(Object.values(after.guard.keys)[0]!.lastReset, { by: 'alice', at: t0 + 2 * min });
});

test('a follower applies only what was appended since its last sync, and waits for a line still being written', async () => {
  const path = logFile();
  const warnings: string[] = [];
  const follower = new LogFollower(path, (w) => warnings.push(w));
  assert.equal(await follower.sync(), [], 'no file yet');

  await appendEvent(path, attempt('a', t0));
  assert.equal((await follower.sync()).map((a) => a.event.type), ['attempt']);
  assert.equal(await follower.sync(), []);

  const half = line(outcome('a', t0 + min, 'not-fixed'));
  appendFileSync(path, half.slice(0, 20));
  assert.equal(await follower.sync(), [], 'half a line waits');
  appendFileSync(path, half.slice(20));
  assert.equal((await follower.sync()).map((a) => a.event.type), ['outcome']);
  assert.is(follower.state.records.get('a')!.outcome, 'not-fixed');

  appendFileSync(path, 'garbage\n');
  await follower.sync();
  assert.is(warnings.length, 1);
  assert.match(warnings[0]!, /is not a remediation event; skipped/);

  writeFileSync(path, line(attempt('b', t0)));
  await follower.sync();
  assert.equal([...follower.state.records.keys()], ['b'], 'a file replaced by a shorter one is read again from the start');
});

test('folding replays the guard: cooldown after a restart, the breaker opening on the threshold, a reset closing it', async () => {
  const path = logFile();
  const follower = new LogFollower(path);
  await appendEvent(path, attempt('a', t0));
  await follower.sync();
  const key = { plan: 'restart', target: 'billing' };
  assert.is(decide(follower.state.guard, key, policy, t0 + 10 * min).decision.kind, 'skip', 'in cooldown after reading the log');

  await appendEvent(path, outcome('a', t0 + min, 'not-fixed'));
  const first = await follower.sync();
  assert.is(first[0]!.breaker, undefined);
  await appendEvent(path, attempt('b', t0 + 2 * 60 * min));
  await appendEvent(path, outcome('b', t0 + 2 * 60 * min + min, 'not-fixed'));
  const second = await follower.sync();
  assert.is(second.at(-1)!.breaker, 'opened');
  await appendEvent(path, attempt('c', t0 + 4 * 60 * min));
  await appendEvent(path, outcome('c', t0 + 4 * 60 * min + min, 'rejected'));
  await follower.sync();
  assert.is(follower.state.records.get('c')?.outcome, 'rejected', 'the record is kept even where the guard would have refused');
  const open = Object.values(follower.state.guard.keys)[0]!;
  assert.equal([open.breaker.status, open.consecutiveBad], ['open', 2], 'a rejection does not count');

  await appendReset(path, 'restart', 'billing', 'alice', t0 + 5 * 60 * min);
  await follower.sync();
  const k = Object.values(follower.state.guard.keys)[0]!;
  assert.equal([k.breaker.status, k.consecutiveBad], ['closed', 0]);

  const learned = listPatterns(follower.state, { scope: 'api-down' });
  assert.equal(learned.map((p) => [p.key.plan, p.key.plugin, p.failures]), [['restart', 'billing', 2]]);
  assert.is(listPatterns(follower.state, { scope: 'category:system' }).length, 1);
});

test('an event from a clock a little behind is applied at the guard\'s last time instead of failing', async () => {
  const path = logFile();
  await appendEvent(path, attempt('a', t0 + min));
  await appendReset(path, 'restart', 'billing', 'alice', t0);
  const state = await readRemediationLog(path);
  assert.equal(Object.values(state.guard.keys)[0]!.lastReset, { by: 'alice', at: t0 + min });
});

test('feedback from the CLI: unknown incident, no remediation, bad fields, then recorded and learned', async () => {
  const path = logFile();
  await appendEvent(path, attempt('a', t0));
  await appendEvent(path, outcome('a', t0 + min, 'fixed'));
  await appendEvent(path, attempt('dry', t0, { incident: 'inc-dry', decision: 'dry-run', runId: undefined }));
  const good = { positive: true, reason: 'quick and right', by: 'alice' };

  assert.is((await rejection(appendFeedback(path, 'inc-nope', good, t0))).code, 'E_UNKNOWN_INCIDENT');
  const known = (id: string) => id === 'inc-quiet';
  assert.is((await rejection(appendFeedback(path, 'inc-quiet', good, t0, known))).code, 'E_NO_REMEDIATION');
  const dry = await rejection(appendFeedback(path, 'inc-dry', good, t0));
  assert.is(dry.code, 'E_NO_REMEDIATION');
  assert.match(dry.message, /only dry runs were recorded/);
  const bad = await rejection(appendFeedback(path, 'inc-a', { positive: true, expected: 'y'.repeat(1001), by: '' }, t0));
  assert.is(bad.code, 'E_FEEDBACK_INVALID');
  assert.equal(bad.problems.map((p) => p.field), ['by', 'expected']);

  const record = await appendFeedback(path, 'inc-a', good, t0 + 2 * min);
  assert.is(record.id, 'a');
  const state = await readRemediationLog(path);
  assert.equal(state.records.get('a')!.feedback, [{ at: t0 + 2 * min, positive: true, reason: 'quick and right', by: 'alice' }]);
  const [p] = listPatterns(state, { scope: 'api-down', plugin: 'billing' });
  assert.equal([p!.successes, p!.positive, p!.lastReasons], [1, 1, ['quick and right']]);
});

test('a reset names the plan, the target and who resets it', async () => {
  const path = logFile();
  const e = await rejection(appendReset(path, 'restart', '', ' ', t0));
  assert.is(e.code, 'E_RESET_INVALID');
  assert.equal(e.problems.map((p) => p.field), ['target', 'by']);
});

test('records filter by incident, rule, plugin, plan and pending', async () => {
  const path = logFile();
  await appendEvent(path, attempt('a', t0));
  await appendEvent(path, outcome('a', t0 + min, 'fixed'));
  await appendEvent(path, attempt('b', t0 + 2 * min, { plugin: 'search', target: 'search', plan: 'clear-cache' }));
  const state = await readRemediationLog(path);
  assert.equal(listRecords(state, { pending: true }).map((r) => r.id), ['b']);
  assert.equal(listRecords(state, { plugin: 'billing' }).map((r) => r.id), ['a']);
  assert.equal(listRecords(state, { plan: 'clear-cache', rule: 'api-down' }).map((r) => r.id), ['b']);
  assert.equal(listRecords(state, { incident: 'inc-a' }).map((r) => r.id), ['a']);
});

test.run();
