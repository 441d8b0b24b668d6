// Evidence on incidents: capped whatever its size (lines, characters, samples, pieces), marked
// truncated when cut, the newest kept; an alert's evidence rides on the incident it opens or joins.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { capEvidence, evidenceCaps, withEvidence, type Evidence } from '../../src/monitor/incidents/evidence.ts';
import { onAlertFiring } from '../../src/monitor/incidents/incident.ts';
import { alert } from './helpers.ts';

const logs = (n: number, chars = 10): Evidence => ({ source: 'loki', at: 1, query: '{app="x"} |= "error"', lines: Array.from({ length: n }, (_, i) => ({ text: `${i}`.padEnd(chars, 'x') })) });

test('small evidence is kept as it is, not marked truncated', () => {
  const e = logs(3);
  assert.equal(capEvidence(e), e);
});

test('too many lines keep the newest, too long a line is cut, the total is bounded; all marked truncated', () => {
  const many = capEvidence(logs(10_000));
  assert.is(many.lines!.length, evidenceCaps.lines);
  assert.is(many.lines!.at(-1)!.text.startsWith('9999'), true);
  assert.is(many.truncated, true);
  const long = capEvidence(logs(1, 1_000_000));
  assert.is(long.lines![0]!.text.length, evidenceCaps.lineChars + 1);
  assert.is(long.truncated, true);
  const wide = capEvidence(logs(50, evidenceCaps.lineChars));
  assert.ok(wide.lines!.reduce((n, l) => n + l.text.length, 0) <= evidenceCaps.totalChars);
  assert.is(wide.truncated, true);
  const samples = capEvidence({ source: 'prometheus', at: 1, query: 'up', samples: Array.from({ length: 500 }, (_, i) => ({ labels: { i: `${i}` }, value: i })) });
  assert.is(samples.samples!.length, evidenceCaps.samples);
  assert.is(samples.truncated, true);
});

test('an incident keeps at most the newest pieces of evidence', () => {
  let kept: Evidence[] | undefined;
  for (let i = 0; i < 20; i += 1) kept = withEvidence(kept, { source: 'manual', at: i, lines: [{ text: `${i}` }] });
  assert.is(kept!.length, evidenceCaps.entries);
  assert.is(kept!.at(-1)!.at, 19);
});

test('an alert\'s evidence opens the incident with it, and a join adds the next', () => {
  const opened = onAlertFiring([], { ...alert('warning'), evidence: logs(2) }, 0);
  assert.is(opened.incident.evidence?.length, 1);
  const joined = onAlertFiring(opened.incidents, { ...alert('warning'), evidence: { source: 'prometheus', at: 5, query: 'up == 0', samples: [{ labels: {}, value: 0 }] } }, 5);
  assert.equal(joined.incident.evidence!.map((e) => e.source), ['loki', 'prometheus']);
  const bare = onAlertFiring([], alert('warning'), 0);
  assert.is(bare.incident.evidence, undefined);
});

test.run();
