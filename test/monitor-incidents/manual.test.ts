// Reports by hand as the model sees them: the dedup key from the rule (`manual` without one) and
// the labels, whatever their order; the log as `manual` evidence lines capped to the newest; who
// reported on the `opened` and `joined` entries; an acknowledgement's note on its entry. And the
// pages of a list: newest first, ties by id, a cursor past the last item it gave.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeCursor, encodeCursor, newestFirst } from '../../src/api/paging.ts';
import { dedupKey } from '../../src/monitor/alerts/key.ts';
import { evidenceCaps } from '../../src/monitor/incidents/evidence.ts';
import { acknowledge, onAlertFiring } from '../../src/monitor/incidents/incident.ts';
import { logEvidence, reportedAlert } from '../../src/monitor/incidents/manual.ts';

const report = { title: 'disk full', severity: 'warning', category: 'system', labels: { host: 'db-1', disk: 'sda' } } as const;

test('the dedup key comes from the rule (manual without one) and the labels in any order', () => {
  assert.is(reportedAlert(report, 'ann', 1).dedupKey, dedupKey('manual', { disk: 'sda', host: 'db-1' }));
  assert.is(reportedAlert({ ...report, ruleId: 'disk-full' }, 'ann', 1).dedupKey, dedupKey('disk-full', report.labels));
  assert.is(reportedAlert({ ...report, labels: undefined }, 'ann', 1).dedupKey, dedupKey('manual', {}));
});

test('the log becomes manual evidence lines; blank text none; capped to the newest lines', () => {
  assert.equal(logEvidence('a\r\nb\n\n', 'ann', 5), { source: 'manual', at: 5, by: 'ann', lines: [{ text: 'a' }, { text: 'b' }] });
  assert.is(logEvidence(' \n\n', 'ann', 5), undefined);
  const many = Array.from({ length: 120 }, (_, i) => `line ${i}`).join('\n');
  const opened = onAlertFiring([], reportedAlert({ ...report, log: many }, 'ann', 7), 7).incident;
  const kept = opened.evidence![0]!;
  assert.is(kept.lines!.length, evidenceCaps.lines);
  assert.is(kept.lines!.at(-1)!.text, 'line 119');
  assert.is(kept.truncated, true);
});

test('who reported is on the opened and joined entries; an ack note on its entry', () => {
  const first = onAlertFiring([], reportedAlert(report, 'ann', 1), 1);
  assert.equal(first.incident.timeline[0], { at: 1, kind: 'opened', text: 'disk full', by: 'ann' });
  const joined = onAlertFiring(first.incidents, reportedAlert({ ...report, title: 'still full' }, 'bob', 2), 2);
  assert.equal(joined.incident.timeline.at(-1), { at: 2, kind: 'joined', text: 'still full', by: 'bob' });
  const acked = acknowledge(joined.incident, 'bob', 3, undefined, '  freeing space ');
  assert.ok(acked.ok);
  if (acked.ok) assert.equal(acked.incident.timeline.at(-1), { at: 3, kind: 'acknowledged', text: 'until resolved: freeing space', by: 'bob' });
});

test('pages: newest first, ties by id, the cursor after the last item given', () => {
  const items = [{ at: 1, id: 'a' }, { at: 3, id: 'b' }, { at: 3, id: 'c' }, { at: 2, id: 'd' }];
  const p1 = newestFirst(items, (i) => i, 2);
  assert.equal(p1.items.map((i) => i.id), ['c', 'b']);
  assert.equal(decodeCursor(p1.next!), { at: 3, id: 'b' });
  const p2 = newestFirst([...items, { at: 9, id: 'new' }], (i) => i, 2, p1.next);
  assert.equal(p2.items.map((i) => i.id), ['d', 'a']);
  assert.is(p2.next, undefined);
  assert.equal(newestFirst(items, (i) => i, 4).next, undefined, 'exactly the rest: no cursor');
  assert.is(encodeCursor({ at: 3, id: 'b' }), p1.next);
  assert.throws(() => decodeCursor('not a cursor'), /cursor/);
});

test.run();
