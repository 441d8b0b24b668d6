// Optimization verdicts in the git journal: one commit per ended suggestion with its file and a
// line in changes.md, trailers naming plugin, change and verdict; a suggestion id that is not a
// plain file name and an `optimization` path that is a link are refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { openJournal, readJournal } from '../../src/journal/git-journal.ts';
import { journalEntry } from '../../src/optimize/report.ts';
import type { Suggestion } from '../../src/optimize/suggestion.ts';
import { edges, emptyRepo, git, tempDir } from './repo.ts';

const at = Date.UTC(2026, 11, 7, 9);

const suggestion: Suggestion = {
  id: 'sg-abc123', key: 'tuning/resizer/scale_workers', optimization: 'tuning', plugin: 'resizer', analyzer: 'workers', type: 'scale_workers',
  state: 'reverted', version: 6, createdAt: at - 3_600_000, updatedAt: at, seenAt: at - 600_000, value: 8, previous: 4, unit: 'workers',
  description: { en: 'Latency p90 340 ms is over the target 200 ms. Raise workers from 4 to 8.', ko: '지연 p90이 목표를 넘습니다.' },
  evidence: { metric: 'latency', windowMs: 86_400_000, samples: 1440, spanMs: 86_400_000, percentiles: { p50: 250, p90: 340, p95: 360, p99: 400, max: 420 }, figures: {}, chart: [] },
  expected: { metric: 'latency', direction: 'down', size: 0.5 }, severity: 'high', confidence: 0.8,
  apply: { runbook: 'scale_workers', parameters: { plugin: 'resizer', workers: 8 } }, revert: { runbook: 'scale_workers', parameters: { plugin: 'resizer', workers: 4 } },
  approvedBy: 'dana', run: { id: 'run-1', startedAt: at - 2_400_000, finishedAt: at - 2_300_000, status: 'success' }, revertRun: { id: 'run-2', startedAt: at - 60_000, finishedAt: at, status: 'success' },
  verification: { metric: 'latency', before: { n: 30, median: 250, p90: 340, from: 0, to: 1 }, after: { n: 30, median: 410, p90: 500, from: 2, to: 3 }, change: 0.64, p: 0.0001, outcome: 'worse' },
  reason: 'worse: latency median 250 → 410', transitions: [],
};

test('an ended suggestion is one commit: its file, a line in changes.md, and trailers', async () => {
  const dir = emptyRepo();
  const journal = await openJournal({ repo: dir }, edges);
  const r = await journal.recordOptimization(journalEntry(suggestion));
  assert.equal(r.paths, ['optimization/changes.md', 'optimization/sg-abc123.md']);
  assert.is(git(dir, 'log', '-1', '--format=%s').trim(), 'optimization: scale_workers 4 → 8 workers on resizer reverted');
  assert.match(git(dir, 'log', '-1', '--format=%B'), /Optimization-Suggestion: sg-abc123\nOptimization-Plugin: resizer\nOptimization-Change: scale_workers 4 → 8 workers\nOptimization-Verdict: reverted\nOptimization-At: 2026-12-07T09:00:00.000Z/);
  const own = readFileSync(join(dir, 'optimization', 'sg-abc123.md'), 'utf8');
  assert.match(own, /verification: worse; latency median 250 \(n=30\) → 410 \(n=30\)/);
  assert.match(own, /revert run: run-2/);
  assert.match(readFileSync(join(dir, 'optimization', 'changes.md'), 'utf8'), /- 2026-12-07T09:00:00.000Z resizer: scale_workers 4 → 8 workers reverted \(sg-abc123\)/);
  assert.is(git(dir, 'status', '--porcelain').trim(), '');
  assert.equal(await readJournal(dir, edges), [], 'not incident entries');
});

test('an id that is no plain file name, and an optimization path that is a link, are refused', async () => {
  const dir = emptyRepo();
  const journal = await openJournal({ repo: dir }, edges);
  const bad = await journal.recordOptimization({ ...journalEntry(suggestion), suggestion: '../escape' }).then(() => undefined, (x: unknown) => x);
  assert.ok(bad instanceof Error);
  const other = emptyRepo();
  const elsewhere = tempDir('elsewhere');
  mkdirSync(join(elsewhere, 'x'));
  symlinkSync(join(elsewhere, 'x'), join(other, 'optimization'));
  const j2 = await openJournal({ repo: other }, edges);
  const e = await j2.recordOptimization(journalEntry(suggestion)).then(() => undefined, (x: unknown) => x);
  assert.match(String((e as Error).message), /optimization is a symbolic link/);
});

test.run();
