// Compacting the remediation log: the snapshot folds to the same state, pending remediations and
// the newest finished ones are kept, appends racing the compaction are not lost, and a follower
// that read the old file starts over on the new one.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AttemptEvent, LogEvent } from '../../src/remediation/events.ts';
import { guardPolicy } from '../../src/remediation/guard.ts';
import { appendEvent, compactLog, keptRecords, listPatterns, listRecords, LogFollower, readRemediationLog } from '../../src/remediation/log.ts';

const t0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const policy = guardPolicy({ cooldownMs: 0, maxPerWindow: 1000, breakerThreshold: 1000 });
const logFile = () => { const p = join(mkdtempSync(join(tmpdir(), 'pluginops-compact-')), 'store', 'remediation.jsonl'); mkdirSync(dirname(p), { recursive: true }); return p; };
const attempt = (id: string, at: number, target = `t-${id}`): AttemptEvent => ({
  type: 'attempt', at, id, incident: `inc-${id}`, rule: 'api-down', check: 'api', plugin: 'billing', category: 'system',
  plan: 'restart', target, decision: 'run', runId: `run-${id}`, params: {}, policy, approval: false,
});
const line = (e: LogEvent) => `${JSON.stringify(e)}\n`;
const comparable = (s: Awaited<ReturnType<typeof readRemediationLog>>) => ({ guard: s.guard, learning: s.learning, records: [...s.records.values()] });

test('a compacted log is one snapshot line that folds to the same state, pending remediations kept', async () => {
  const path = logFile();
  let text = '';
  for (let i = 0; i < 20; i++) {
    text += line(attempt(`r${i}`, t0 + i * 1000));
    text += line({ type: 'outcome', at: t0 + i * 1000 + 500, id: `r${i}`, outcome: i % 3 === 0 ? 'not-fixed' : 'fixed' });
  }
  text += line({ type: 'feedback', at: t0 + 30_000, id: 'r4', incident: 'inc-r4', positive: true, by: 'dana', reason: 'quick' });
  text += line(attempt('pending', t0 + 40_000));
  appendFileSync(path, text);
  const before = await readRemediationLog(path);
  const follower = new LogFollower(path);
  await compactLog(follower, t0 + 50_000);
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  assert.is(lines.length, 1);
  assert.is(JSON.parse(lines[0]!).type, 'snapshot');
  const after = await readRemediationLog(path);
  assert.equal(comparable(after), comparable(before));
  assert.equal(comparable(follower.state), comparable(before), 'the compacting follower goes on with the same state');
  assert.equal(listRecords(after, { pending: true }).map((r) => r.id), ['pending']);
  assert.equal(listPatterns(after), listPatterns(before));
  // Appends after the compaction follow the snapshot.
  await appendEvent(path, { type: 'outcome', at: t0 + 60_000, id: 'pending', outcome: 'fixed' });
  await follower.sync();
  assert.is(follower.state.records.get('pending')!.outcome, 'fixed');
});

test(`only the newest ${keptRecords} finished remediations are kept`, async () => {
  const path = logFile();
  let text = '';
  const n = keptRecords + 50;
  for (let i = 0; i < n; i++) {
    text += line(attempt(`r${i}`, t0 + i * 10, 'same'));
    text += line({ type: 'outcome', at: t0 + i * 10 + 5, id: `r${i}`, outcome: 'fixed' });
  }
  appendFileSync(path, text);
  await compactLog(new LogFollower(path), t0 + n * 10);
  const after = await readRemediationLog(path);
  const ids = [...after.records.keys()];
  assert.is(ids.length, keptRecords);
  assert.is(ids[0], 'r50');
  assert.is(ids.at(-1), `r${n - 1}`);
  assert.is(listPatterns(after)[0]!.successes, n, 'what was learned keeps counting every remediation');
});

test('appends racing a compaction are all kept, and a follower of the old file starts over on the new one', async () => {
  const path = logFile();
  for (let i = 0; i < 10; i++) await appendEvent(path, attempt(`a${i}`, t0 + i));
  const reader = new LogFollower(path);
  await reader.sync();
  assert.is(reader.state.records.size, 10);
  const compactor = new LogFollower(path);
  await Promise.all([
    ...Array.from({ length: 40 }, (_, i) => appendEvent(path, attempt(`b${i}`, t0 + 100 + i))),
    compactLog(compactor, t0 + 50),
    ...Array.from({ length: 40 }, (_, i) => appendEvent(path, attempt(`c${i}`, t0 + 200 + i))),
  ]);
  const all = await readRemediationLog(path);
  assert.is(all.records.size, 90, 'nothing appended during the compaction was lost');
  await reader.sync();
  assert.is(reader.state.records.size, 90, 'the old reader re-read the compacted file and what followed');
  await compactor.sync();
  assert.is(compactor.state.records.size, 90);
});

test.run();
