// The retention rule, table-driven on a virtual clock: which backups prune keeps and why.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { retain, type RetentionItem, type RetentionPolicy } from '../../src/backup/retention.ts';

const day = 24 * 60 * 60 * 1000;
const now = Date.parse('2026-12-07T03:00:00Z');
/** A backup `days` old (fractions allowed), verified ok unless said otherwise. */
const b = (id: string, days: number, o: Partial<RetentionItem> = {}): RetentionItem => ({ id, createdAt: now - days * day, pinned: false, verified: 'ok', ...o });

interface Case { name: string; policy: RetentionPolicy; backups: RetentionItem[]; kept: string[]; reasons?: Record<string, RegExp> }

const week: RetentionPolicy = { keepDays: 7, keepCount: 3 };

const cases: Case[] = [
  { name: 'nothing to decide', policy: week, backups: [], kept: [] },
  {
    name: 'everything younger than 7 days stays, however many',
    policy: week,
    backups: [0, 1, 2, 3, 4, 5, 6, 6.9].map((d, i) => b(`b${i}`, d)),
    kept: ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'],
    reasons: { b7: /^kept because it is 6 days old, younger than 7 days$/ },
  },
  {
    name: 'past 7 days only the newest 3 stay',
    policy: week,
    backups: [8, 9, 10, 11, 30].map((d, i) => b(`old${i}`, d)),
    kept: ['old0', 'old1', 'old2'],
    reasons: {
      old0: /^kept because it is the newest verified backup$/,
      old1: /^kept because it is among the newest 3$/,
      old3: /^removed because it is 11 days old, older than 7 days, and not among the newest 3$/,
    },
  },
  {
    name: 'the minimum count counts recent backups too',
    policy: week,
    backups: [b('new0', 1), b('new1', 2), b('new2', 3), b('old', 8)],
    kept: ['new0', 'new1', 'new2'],
  },
  {
    name: 'a pinned backup stays whatever its age',
    policy: week,
    backups: [b('n0', 0), b('n1', 1), b('n2', 2), b('pin', 400, { pinned: true }), b('old', 9)],
    kept: ['n0', 'n1', 'n2', 'pin'],
    reasons: { pin: /^kept because it is pinned$/, old: /^removed because/ },
  },
  {
    name: 'the newest verified backup stays even when newer ones failed or were never verified',
    policy: { keepDays: 7, keepCount: 1 },
    backups: [b('bad', 8, { verified: 'failed' }), b('unverified', 9, { verified: 'never' }), b('good', 20), b('older', 30)],
    kept: ['unverified', 'good'],
    reasons: {
      bad: /^removed because it is 8 days old, older than 7 days and its last verification failed, and not among the newest 1 usable ones$/,
      unverified: /^kept because it is among the newest 1$/,
      good: /^kept because it is the newest verified backup$/,
    },
  },
  {
    name: 'keepDays 0 leaves only the count, the newest verified and the pinned',
    policy: { keepDays: 0, keepCount: 2 },
    backups: [b('a', 0.01), b('b', 0.02), b('c', 0.03, { pinned: true }), b('d', 0.04)],
    kept: ['a', 'b', 'c'],
    reasons: { d: /^removed because it is 0 h old, older than 0 days/ },
  },
  {
    name: 'a backup from the future (a clock set back) counts as young',
    policy: week,
    backups: [b('future', -2), b('x', 10), b('y', 11), b('z', 12), b('w', 13)],
    kept: ['future', 'x', 'y'],
  },
  {
    name: 'the boundary: exactly 7 days old is past the window',
    policy: { keepDays: 7, keepCount: 1 },
    backups: [b('n', 0), b('edge', 7), b('inside', 7 - 1 / 1440)],
    kept: ['n', 'inside'],
  },
];

for (const c of cases) {
  test(`retention: ${c.name}`, () => {
    const decisions = retain(c.backups, now, c.policy);
    assert.equal(decisions.map((d) => d.id).sort(), c.backups.map((x) => x.id).sort(), 'one decision per backup');
    assert.equal(decisions.filter((d) => d.keep).map((d) => d.id).sort(), [...c.kept].sort());
    for (const d of decisions) assert.match(d.reason, d.keep ? /^kept because / : /^removed because /);
    for (const [id, re] of Object.entries(c.reasons ?? {})) assert.match(decisions.find((d) => d.id === id)!.reason, re, id);
  });
}

test('retention: decisions come newest first and do not depend on the input order', () => {
  const list = [b('a', 10), b('b', 1), b('c', 20)];
  const one = retain(list, now, week);
  assert.equal(one.map((d) => d.id), ['b', 'a', 'c']);
  assert.equal(retain([...list].reverse(), now, week), one);
});

test.run();
