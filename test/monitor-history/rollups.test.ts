// Check rollups on virtual time: results land in the hour and UTC day of their own `at`; a ring
// clears the buckets it skips and drops results older than it keeps; uptime and series read the
// windows ending at `now`; the file round-trips, and a damaged file is a warning and no history.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../src/engine/clock.ts';
import { decodeRollups, encodeRollups, loadRollups, rollupPath, saveRollupsEvery } from '../../src/monitor/history/rollup-file.ts';
import { addResult, dayMs, emptyRollup, hourMs, Rollups, series, uptime, type Range } from '../../src/monitor/history/rollups.ts';

const t0 = Date.UTC(2026, 11, 1); // a UTC midnight
type R = [at: number, ok: boolean, ms: number];

const cases: Array<{ name: string; results: R[]; now: number; range: Range; expect: Array<[index: number, count: number, ok: number, avg?: number, max?: number]>; length: number }> = [
  { name: 'two results in one hour', results: [[t0 + 60_000, true, 100], [t0 + 120_000, false, 300]], now: t0 + 30 * 60_000, range: '24h', length: 24, expect: [[23, 2, 1, 200, 300]] },
  { name: 'hours apart land in their own buckets, oldest first', results: [[t0, true, 10], [t0 + 2 * hourMs, true, 30]], now: t0 + 2 * hourMs, range: '24h', length: 24, expect: [[21, 1, 1, 10, 10], [23, 1, 1, 30, 30]] },
  { name: 'a result older than the window is not in it', results: [[t0, true, 10], [t0 + 30 * hourMs, true, 20]], now: t0 + 30 * hourMs, range: '24h', length: 24, expect: [[23, 1, 1, 20, 20]] },
  { name: 'the 7-day view keeps it', results: [[t0, true, 10], [t0 + 30 * hourMs, true, 20]], now: t0 + 30 * hourMs, range: '7d', length: 168, expect: [[137, 1, 1, 10, 10], [167, 1, 1, 20, 20]] },
  { name: 'days sum their hours', results: [[t0 + hourMs, true, 10], [t0 + 5 * hourMs, false, 50], [t0 + dayMs, true, 40]], now: t0 + dayMs + 1, range: '30d', length: 30, expect: [[28, 2, 1, 30, 50], [29, 1, 1, 40, 40]] },
  { name: 'a result after a gap longer than the ring clears all of it', results: [[t0, true, 10], [t0 + 200 * hourMs, true, 20]], now: t0 + 200 * hourMs, range: '7d', length: 168, expect: [[167, 1, 1, 20, 20]] },
  { name: 'a late result older than the ring is dropped', results: [[t0 + 200 * hourMs, true, 20], [t0, false, 10]], now: t0 + 200 * hourMs, range: '7d', length: 168, expect: [[167, 1, 1, 20, 20]] },
  { name: 'a late result inside the ring joins its bucket', results: [[t0 + 5 * hourMs, true, 20], [t0 + 4 * hourMs, false, 10]], now: t0 + 5 * hourMs, range: '24h', length: 24, expect: [[22, 1, 0, 10, 10], [23, 1, 1, 20, 20]] },
  { name: 'nothing read when now is past the last result by more than the range', results: [[t0, true, 20]], now: t0 + 40 * dayMs, range: '30d', length: 30, expect: [] },
  { name: 'negative and non-numeric response times count as 0 ms', results: [[t0, true, -5], [t0, true, Number.NaN]], now: t0, range: '24h', length: 24, expect: [[23, 2, 2, 0, 0]] },
];

for (const c of cases) {
  test(`series: ${c.name}`, () => {
    const r = emptyRollup();
    for (const [at, ok, ms] of c.results) addResult(r, at, ok, ms);
    const s = series(r, c.range, c.now);
    assert.is(s.length, c.length);
    const step = c.range === '30d' ? dayMs : hourMs;
    assert.is(s.at(-1)!.start, Math.floor(c.now / step) * step);
    const filled = s.map((b, i) => [i, b.count, b.ok, b.avgMs, b.maxMs]).filter(([, count]) => (count as number) > 0);
    assert.equal(filled, c.expect);
  });
}

test('uptime: each range from its own buckets; a range without results is absent', () => {
  const r = emptyRollup();
  // 10 days ago: 4 failures; 3 days ago: 1 success; this hour: 3 successes, 1 failure.
  const now = t0 + 20 * dayMs + 30 * 60_000;
  for (let i = 0; i < 4; i++) addResult(r, now - 10 * dayMs, false, 5);
  addResult(r, now - 3 * dayMs, true, 5);
  for (let i = 0; i < 3; i++) addResult(r, now - 60_000, true, 5);
  addResult(r, now - 60_000, false, 5);
  assert.equal(uptime(r, now), { '24h': 0.75, '7d': 0.8, '30d': 4 / 9 });
  assert.equal(uptime(r, now + 40 * dayMs), {});
  assert.equal(uptime(undefined, now), {});
});

test('Rollups: records by id, forgets removed checks, counts changes', () => {
  const h = new Rollups();
  h.record('a', t0, true, 10);
  h.record('b', t0, false, 10);
  assert.equal(h.uptime('a', t0), { '24h': 1, '7d': 1, '30d': 1 });
  assert.is(h.series('nope', '24h', t0).length, 24);
  const before = h.changes;
  h.retain(new Set(['a']));
  assert.equal([...h.byId.keys()], ['a']);
  assert.ok(h.changes > before);
});

test('file: round trip; damaged files are a warning and no history', async () => {
  const h = new Rollups();
  for (let i = 0; i < 50; i++) h.record(`c${i % 3}`, t0 + i * 10 * 60_000, i % 4 !== 0, i);
  const back = decodeRollups(encodeRollups(h.byId));
  assert.equal([...back.keys()], ['c0', 'c1', 'c2']);
  for (const id of back.keys()) assert.equal(series(back.get(id), '7d', t0 + dayMs), h.series(id, '7d', t0 + dayMs));

  const dir = mkdtempSync(join(tmpdir(), 'pluginops-rollups-'));
  const warnings: string[] = [];
  assert.is((await loadRollups(dir, (l) => warnings.push(l))).byId.size, 0);
  assert.equal(warnings, [], 'an absent file is no warning');
  mkdirSync(join(dir, 'monitor'));
  const good = encodeRollups(h.byId);
  for (const bad of [Buffer.from('garbage'), Buffer.from('{"format":"other"}\n'), good.subarray(0, good.length - 7), Buffer.from('{"format":"pluginops-rollups","version":1,"endian":"LE","hourSlots":168,"daySlots":30,"checks":[[1,2]]}\n')]) {
    writeFileSync(rollupPath(dir), bad);
    const loaded = await loadRollups(dir, (l) => warnings.push(l));
    assert.is(loaded.byId.size, 0);
  }
  assert.is(warnings.length, 4);
  assert.match(warnings[0]!, /rollups\.bin is not readable \(no header line\); starting with none/);
  assert.match(warnings[2]!, /bytes of buckets for 3 checks/);
});

test('saver: writes on its timer only when something changed, keeps configured checks, and once more on stop', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-rollups-'));
  const clock = new VirtualClock(t0);
  const h = new Rollups();
  const logs: string[] = [];
  let ids = ['a', 'b'];
  const saver = saveRollupsEvery({ rollups: h, storeDir: dir, clock, everyMs: 60_000, ids: () => ids, log: (l) => logs.push(l) });
  h.record('a', t0, true, 10);
  h.record('b', t0, true, 10);
  await saver.flush();
  const first = readFileSync(rollupPath(dir));
  assert.equal([...decodeRollups(first).keys()], ['a', 'b']);
  ids = ['a'];
  h.record('a', t0 + 1, false, 20);
  await clock.advance(60_000);
  await saver.flush();
  assert.equal([...decodeRollups(readFileSync(rollupPath(dir))).keys()], ['a']);
  h.record('a', t0 + 2, true, 30);
  await saver.stop();
  const last = (await loadRollups(dir, (l) => logs.push(l))).series('a', '24h', t0);
  assert.equal([last.at(-1)!.count, last.at(-1)!.ok], [3, 2]);
  assert.equal(logs, []);
});

test.run();
