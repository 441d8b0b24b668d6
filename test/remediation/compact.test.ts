// Compacting the file log: the file becomes one snapshot line that folds to the same state, and
// the follower goes on after it. What every log's compaction keeps, and that appends racing it
// are not lost, is the contract (log-contract.ts).
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AttemptEvent, LogEvent } from '../../src/remediation/events.ts';
import { guardPolicy } from '../../src/remediation/guard.ts';
import { appendEvent, compactLog, listPatterns, listRecords, LogFollower, readRemediationLog } from '../../src/remediation/log.ts';

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

test.run();
