// The pure parts of the incident pages: going back and forth through keyset pages (the cursors
// of the pages before ride in the URL), and the timeline — every kind with a sentence in both
// languages, remediation entries read closer (approvals, rejections), escalation steps with
// their channels, feedback from the remediation records, hostile text escaped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TimelineEntry } from '../../src/monitor/incidents/incident.ts';
import { timelineText } from '../../src/remediation/report.ts';
import { cursorTrail } from '../../src/ui/incidents/trail.ts';
import { timeline, timelineRows } from '../../src/ui/incidents/timeline.ts';
import type { Remediation } from '../../src/ui/self-healing/remediations.ts';

const q = (s: string) => new URLSearchParams(s);

test('the trail: next pushes the current cursor, previous pops it; junk is dropped; at most 20 kept', () => {
  const first = cursorTrail(q(''));
  assert.is(first.cursor, undefined);
  assert.is(first.previous, undefined, 'no previous page on the first');
  assert.equal(first.next('c1'), { cursor: 'c1', back: '-' });
  const second = cursorTrail(q('cursor=c1&back=-'));
  assert.equal([second.cursor, second.previous], ['c1', {}], 'previous of the second page is the first (no cursor)');
  assert.equal(second.next('c2'), { cursor: 'c2', back: '-,c1' });
  const third = cursorTrail(q('cursor=c2&back=-,c1'));
  assert.equal(third.previous, { cursor: 'c1', back: '-' });
  const hostile = cursorTrail(q('cursor=<x>&back=-,a b,"q",ok_1'));
  assert.is(hostile.cursor, undefined);
  assert.equal(hostile.next('n'), { cursor: 'n', back: '-,ok_1,-' });
  const long = cursorTrail(q(`cursor=z&back=${Array.from({ length: 30 }, (_, i) => `c${i}`).join(',')}`));
  assert.is(long.next('y').back.split(',').length, 20);
});

const entries: TimelineEntry[] = [
  { at: 1, kind: 'opened', text: 'API down' },
  { at: 2, kind: 'escalated', text: 'step 1 (round 1): ops-hook, ops-slack' },
  { at: 3, kind: 'remediation', text: 'restart_plugin (run r1) waits for approval', by: 'remediation' },
  { at: 4, kind: 'remediation', text: 'restart_plugin on payments approved by alice; run r1 goes on', by: 'alice' },
  { at: 5, kind: 'verification', text: 'verified: fixed, check api passed 1 of 1 re-runs after restart_plugin (run r1)', by: 'remediation' },
  { at: 6, kind: 'resolved', text: 'fixed by restart_plugin (run r1), verified by check api', by: 'remediation' },
  { at: 9, kind: 'remediation', text: 'remediation rejected by bob', by: 'bob' },
];
const record = { feedback: [{ at: 7, positive: false, reason: '<img src=x onerror=alert(1)>', expected: 'a rollback', by: 'carol' }] } as unknown as Remediation;

test('timeline rows: remediation entries read closer, feedback joins in time order', () => {
  const rows = timelineRows(entries, [record]);
  assert.equal(rows.map((r) => r.kind), ['opened', 'escalated', 'awaiting', 'approved', 'verification', 'resolved', 'feedback-bad', 'rejected']);
  assert.equal(rows[1]!.vars, { step: '1', round: '1', channels: 'ops-hook, ops-slack' });
  assert.is(rows[6]!.detail, '<img src=x onerror=alert(1)> → a rollback');
});

test('remediation entries are read from the very words remediation writes', () => {
  const r = { plan: 'restart_plugin', runId: 'r1', target: 'payments', approval: true, params: {} } as unknown as Parameters<typeof timelineText.approved>[0];
  const kinds = (text: string) => timelineRows([{ at: 1, kind: 'remediation', text }], [])[0]!.kind;
  assert.is(kinds(timelineText.approved(r, 'alice')), 'approved');
  assert.is(kinds(timelineText.rejected('bob')), 'rejected');
  assert.is(kinds(timelineText.waiting(r)), 'awaiting');
  assert.is(kinds(timelineText.started(r)), 'remediation');
  assert.is(kinds(timelineText.skipped(['cooldown'])), 'remediation');
  // A verification that failed is told apart from one that passed.
  const verified = (ok: boolean) => timelineRows([{ at: 1, kind: 'verification', text: timelineText.verified(r, {
    by: 'check api', attempts: 2, results: [{ ok: true }, { ok, error: 'status 502' }],
  } as unknown as Parameters<typeof timelineText.verified>[1]) }], [])[0]!.kind;
  assert.is(verified(true), 'verification');
  assert.is(verified(false), 'not-fixed');
});

test('timeline: a sentence per kind in each language, hostile text escaped', () => {
  const en = timeline('en', timelineRows(entries, [record])).text;
  for (const s of ['Opened: an alert fired', 'Escalation step 1 (round 1) notified ops-hook, ops-slack', 'Remediation waits for approval',
    'Remediation approved by alice', 'Remediation verified', 'Resolved by remediation', 'carol said the remediation did not help', 'Remediation rejected by bob']) {
    assert.ok(en.includes(s), s);
  }
  assert.ok(en.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.not.ok(en.includes('<img'));
  const ko = timeline('ko', timelineRows([...entries, { at: 10, kind: 'acknowledged', text: 'until resolved', by: 'dave' }], [])).text;
  for (const s of ['타임라인', '에스컬레이션 1단계(1회차): ops-hook, ops-slack에 알렸습니다', 'alice이(가) 복구 실행을 승인했습니다', 'dave이(가) 확인했습니다']) assert.ok(ko.includes(s), s);
});

test.run();
