// The remediation log as files on disk: torn and garbage lines are skipped, a line still being
// written waits, a file replaced by a shorter one is read again, and records filter. What every
// log does (folding, feedback, resets, compaction) is the contract, log-contract.ts.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AttemptEvent, LogEvent } from '../../src/remediation/events.ts';
import { guardPolicy } from '../../src/remediation/guard.ts';
import { appendEvent, appendReset, listRecords, LogFollower, readRemediationLog } from '../../src/remediation/log.ts';

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
