// What the Remediator remembers: runs it started survive a restart of serve, candidate plans are
// tried best first by their learning record (the next after a bad outcome), and people's feedback
// is validated, learned from and written to the git journal with the remediation's report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openJournal, type JournalEntry, type RecordResult } from '../../src/journal/git-journal.ts';
import { RemediationError } from '../../src/remediation/errors.ts';
import type { AttemptEvent } from '../../src/remediation/events.ts';
import { guardPolicy } from '../../src/remediation/guard.ts';
import { appendEvent } from '../../src/remediation/log.ts';
import { edges, emptyRepo, git } from '../journal/repo.ts';
import { apiWith, healing, min, plan, planDocs, sec, type Healing } from './remediator-world.ts';

test('a restart of serve mid-run keeps following the run: verified and resolved by the new remediator', async () => {
  const h = await healing({ documents: apiWith(['remediate: { plan: restart }']) + planDocs('restart'), plans: [plan('restart', 'heal', { durationMs: 2 * min })] });
  try {
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(60 * sec);
    assert.is(h.rem.records({ pending: true }).length, 1, 'a run is under way');
    const before = h.rem;

    const after = await h.restart({ reopenMonitor: true });
    assert.is.not(after, before);
    assert.is(after.records({ pending: true })[0]!.runId, 'run-1', 'the new remediator knows the run from the log');
    await h.run(3 * min);
    assert.is(h.port.started.length, 1, 'nothing was started twice');
    assert.is(h.incident().status, 'resolved');
    assert.is(h.incident().resolution, 'fixed by restart (run run-1), verified by check api');
    assert.equal(after.records({ pending: true }), []);
  } finally {
    await h.close();
  }
});

/** Past remediations of `plan` for api-down that `fixed` it, written to the log as serve would. */
async function learned(h: Healing, planId: string, fixed: number): Promise<void> {
  const at = h.w.clock.now() - 60 * min;
  for (let i = 0; i < fixed; i++) {
    const id = `old-${planId}-${i}`;
    const attempt: AttemptEvent = {
      type: 'attempt', at: at + i, id, incident: `old-${i}`, rule: 'api-down', check: 'api', category: 'system', plan: planId, target: `api-old-${i}`,
      decision: 'run', runId: `old-run-${i}`, params: {}, policy: guardPolicy(), approval: false,
    };
    await appendEvent(h.logPath, attempt);
    await appendEvent(h.logPath, { type: 'outcome', at: at + i, id, outcome: 'fixed' });
  }
}

const candidates = 'remediate: { plans: [restart, clear-cache] }';

test('candidates without a record are tried in the order written', async () => {
  const h = await healing({ documents: apiWith([candidates]) + planDocs('restart', 'clear-cache'), plans: [plan('restart', 'heal'), plan('clear-cache', 'heal')] });
  try {
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(60 * sec);
    assert.equal(h.port.started.map((s) => s.plan), ['restart']);
  } finally {
    await h.close();
  }
});

test('the candidate with the best learning record is tried first', async () => {
  const h = await healing({ documents: apiWith([candidates]) + planDocs('restart', 'clear-cache'), plans: [plan('restart', 'heal'), plan('clear-cache', 'heal')] });
  try {
    await learned(h, 'clear-cache', 3);
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(60 * sec);
    assert.equal(h.port.started.map((s) => s.plan), ['clear-cache']);
    assert.is(h.incident().resolution, 'fixed by clear-cache (run run-1), verified by check api');
    const [best] = h.rem.patterns({ scope: 'api-down' });
    assert.is(best!.key.plan, 'clear-cache');
    assert.ok(best!.recommended);
    assert.is(best!.successes, 4);
  } finally {
    await h.close();
  }
});

test('after a bad outcome the next candidate runs', async () => {
  const h = await healing({ documents: apiWith([candidates]) + planDocs('restart', 'clear-cache'), plans: [plan('restart', 'heal'), plan('clear-cache', 'noop')] });
  try {
    await learned(h, 'clear-cache', 2);
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(90 * sec);
    assert.equal(h.port.started.map((s) => s.plan), ['clear-cache', 'restart']);
    assert.equal(h.rem.records({ incident: h.incident().id }).map((r) => [r.plan, r.outcome]), [['clear-cache', 'not-fixed'], ['restart', 'fixed']]);
    assert.is(h.incident().resolution, 'fixed by restart (run run-2), verified by check api');
  } finally {
    await h.close();
  }
});

test('a restart mid-run keeps the candidates still to try: after a bad outcome the next one runs', async () => {
  const h = await healing({ documents: apiWith([candidates]) + planDocs('restart', 'clear-cache'), plans: [plan('restart', 'noop', { durationMs: 2 * min }), plan('clear-cache', 'heal')] });
  try {
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(60 * sec);
    assert.equal(h.port.started.map((s) => s.plan), ['restart']);
    assert.equal(h.rem.records({ pending: true })[0]!.fallback, ['clear-cache']);
    await h.restart({ reopenMonitor: true });
    await h.run(4 * min);
    assert.equal(h.port.started.map((s) => s.plan), ['restart', 'clear-cache']);
    assert.equal(h.rem.records({ incident: h.incident().id }).map((r) => [r.plan, r.outcome]), [['restart', 'not-fixed'], ['clear-cache', 'fixed']]);
    assert.is(h.incident().status, 'resolved');
  } finally {
    await h.close();
  }
});

const otherRule = `---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-page }
spec:
  source: { healthCheck: api }
  severity: warning
`;

async function rejection(p: Promise<unknown>): Promise<RemediationError> {
  try { await p; } catch (e) { if (e instanceof RemediationError) return e; throw e; }
  throw new Error('expected a RemediationError');
}

test('feedback: validated, learned from, and written with the remediation report to the git journal', async () => {
  const repo = emptyRepo();
  const journal = await openJournal({ repo }, edges);
  const writes: Array<Promise<RecordResult>> = [];
  const recorded: JournalEntry[] = [];
  const h = await healing({
    documents: apiWith(['remediate: { plan: restart }']) + otherRule + planDocs('restart'), plans: [plan('restart', 'heal')],
    journal: { record: (e) => { recorded.push(e); const p = journal.record(e); writes.push(p); return p; } },
  });
  try {
    h.w.monitor.start();
    h.w.service.mode = 'down';
    await h.run(60 * sec);
    const remediated = h.w.monitor.incidents().find((i) => i.ruleId === 'api-down')!;
    const plain = h.w.monitor.incidents().find((i) => i.ruleId === 'api-page')!;
    assert.is(remediated.status, 'resolved');

    const fb = { positive: false, reason: 'the restart hid a memory leak', expected: 'scale the workers', by: 'alice' };
    assert.is((await rejection(h.rem.feedback('no-such-incident', fb))).code, 'E_UNKNOWN_INCIDENT');
    assert.is((await rejection(h.rem.feedback(plain.id, fb))).code, 'E_NO_REMEDIATION');
    const bad = await rejection(h.rem.feedback(remediated.id, { positive: 'yes' as unknown as boolean, reason: 'x'.repeat(1001), by: ' ' }));
    assert.is(bad.code, 'E_FEEDBACK_INVALID');
    assert.equal(bad.problems.map((p) => p.field), ['positive', 'by', 'reason']);
    assert.is(h.rem.records()[0]!.feedback.length, 0, 'nothing recorded for invalid feedback');

    const record = await h.rem.feedback(remediated.id, fb);
    assert.is(record.plan, 'restart');
    assert.equal(record.feedback.map((f) => [f.positive, f.by]), [[false, 'alice']]);
    const [pattern] = h.rem.patterns({ scope: 'api-down' });
    assert.is(pattern!.negative, 1);
    assert.equal(pattern!.lastReasons, ['the restart hid a memory leak (expected: scale the workers)']);

    await Promise.all(writes);
    assert.equal(recorded.map((e) => e.event), ['remediated', 'feedback']);
    const files = git(repo, 'ls-files').trim().split('\n');
    const report = files.find((f) => f.endsWith('/report.md'))!;
    const feedback = files.find((f) => f.endsWith('/feedback.md'))!;
    assert.ok(report && feedback, files.join(', '));
    const reportText = readFileSync(join(repo, report), 'utf8');
    assert.match(reportText, /- Plan: restart\n- Run: run-1\n/);
    assert.match(reportText, /- Outcome: fixed \(verified\)/);
    assert.match(reportText, /- restart: pid="4242"/);
    assert.match(reportText, /- check api, re-run 2 of 2 at .*: passed/);
    assert.match(readFileSync(join(repo, feedback), 'utf8'), /- Verdict: not helpful\n- By: alice at .*\n- Reason: the restart hid a memory leak\n- Expected: scale the workers/);
  } finally {
    await h.close();
  }
});

test.run();
