import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openJournal, readJournal, safeIncidentId, type JournalEntry } from '../../src/journal/git-journal.ts';
import { edges, emptyRepo, git, tempDir } from './repo.ts';

const t0 = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const entry = (more: Partial<JournalEntry> = {}): JournalEntry => ({
  incidentId: 'INC-1', event: 'opened', status: 'open', severity: 'critical', title: 'Checkout latency above 2s',
  at: t0, text: 'p95 latency of checkout is 2.4s over 10 minutes.', ...more,
});

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try { await p; } catch (e) { return e as Error & { code?: string }; }
  throw new Error('expected a rejection');
}

const commitCount = (dir: string) => Number(git(dir, 'rev-list', '--count', 'HEAD').trim());

test('git is installed for these tests', () => {
  assert.match(git(process.cwd(), '--version'), /^git version \d+\.\d+/);
});

test('opened → remediated (with a report) → resolved makes three commits with trailers and files', async () => {
  const dir = emptyRepo();
  const journal = await openJournal({ repo: dir, author: { name: 'On Call', email: 'oncall@example.com' } }, edges);

  await journal.record(entry());
  const remediated = await journal.record(entry({
    event: 'remediated', status: 'mitigated', at: t0 + 60_000, by: 'runner', text: 'Rolled back to 1.4.2.',
    files: [{ name: 'report.md', content: '# Report\n\nRollback done.\n' }],
  }));
  await journal.record(entry({ event: 'resolved', status: 'resolved', at: t0 + 120_000, by: 'alice', text: 'Latency normal for 1h.' }));

  assert.is(commitCount(dir), 3);
  assert.equal(remediated.paths, ['incidents/INC-1/summary.md', 'incidents/INC-1/timeline.json', 'incidents/INC-1/report.md']);
  assert.is(git(dir, 'log', '-1', '--format=%s').trim(), 'incident INC-1: resolved (resolved)');
  const message = git(dir, 'log', '-1', '--skip=1', '--format=%B');
  assert.ok(message.startsWith('incident INC-1: remediated (mitigated)\n\nCheckout latency above 2s\n\nRolled back to 1.4.2.\n\n'), message);
  for (const line of ['Incident-Id: INC-1', 'Incident-Event: remediated', 'Incident-Status: mitigated', 'Incident-Severity: critical', 'By: runner']) {
    assert.ok(message.includes(`\n${line}\n`), `${line} in ${message}`);
  }
  assert.is(git(dir, 'log', '-1', '--format=%an <%ae> %at').trim(), `On Call <oncall@example.com> ${Math.floor((t0 + 120_000) / 1000)}`);
  assert.equal(git(dir, 'show', '--name-only', '--format=', 'HEAD~1').trim().split('\n').sort(),
    ['incidents/INC-1/report.md', 'incidents/INC-1/summary.md', 'incidents/INC-1/timeline.json']);

  const folder = join(dir, 'incidents', 'INC-1');
  assert.is(readFileSync(join(folder, 'report.md'), 'utf8'), '# Report\n\nRollback done.\n');
  const summary = readFileSync(join(folder, 'summary.md'), 'utf8');
  assert.ok(summary.startsWith('# Incident INC-1: Checkout latency above 2s\n\n- Status: resolved\n- Severity: critical\n- Opened: 2025-01-02T03:04:05.678Z\n'), summary);
  for (const part of ['opened (open)', 'remediated (mitigated) by runner', 'resolved (resolved) by alice', 'Rolled back to 1.4.2.', '[report.md](./report.md)']) {
    assert.ok(summary.includes(part), `${part} in ${summary}`);
  }
  const timeline = JSON.parse(readFileSync(join(folder, 'timeline.json'), 'utf8')) as { items: Array<{ event: string; files: string[] }> };
  assert.equal(timeline.items.map((i) => [i.event, i.files]), [['opened', []], ['remediated', ['report.md']], ['resolved', []]]);
  assert.is(git(dir, 'status', '--porcelain').trim(), '');
});

test('readJournal returns entries newest first, filters by incident and honours the limit', async () => {
  const dir = emptyRepo();
  const journal = await openJournal({ repo: dir }, edges);
  await journal.record(entry());
  await journal.record(entry({ incidentId: 'INC-2', severity: 'warning', at: t0 + 1000 }));
  const approved = await journal.record(entry({ event: 'approved', status: 'approved', at: t0 + 2000, by: 'bob' }));

  const all = await readJournal(dir, edges);
  const one = await readJournal(dir, edges, { incidentId: 'INC-1' });
  const newest = await readJournal(dir, edges, { limit: 1 });

  assert.equal(all.map((e) => [e.incidentId, e.event, e.at]), [['INC-1', 'approved', t0 + 2000], ['INC-2', 'opened', t0 + 1000], ['INC-1', 'opened', t0]]);
  assert.equal(all[0], {
    commit: approved.commit, at: t0 + 2000, incidentId: 'INC-1', event: 'approved', status: 'approved',
    severity: 'critical', by: 'bob', subject: 'incident INC-1: approved (approved)',
  });
  assert.ok(git(dir, 'log', '-1', '--format=%B').includes('\nApproved-By: bob\n'));
  assert.equal(one.map((e) => e.event), ['approved', 'opened']);
  assert.equal(newest.map((e) => e.commit), [approved.commit]);
});

test('readJournal skips commits that are not journal records and reads an unborn branch as empty', async () => {
  const dir = emptyRepo();
  assert.equal(await readJournal(dir, edges), []);
  git(dir, '-c', 'user.name=x', '-c', 'user.email=x@example.com', 'commit', '-q', '--allow-empty', '-m', 'initial');
  const journal = await openJournal({ repo: dir }, edges);
  await journal.record(entry());

  const entries = await readJournal(dir, edges);

  assert.is(commitCount(dir), 2);
  assert.equal(entries.map((e) => e.event), ['opened']);
});

test('hostile incident ids stay inside incidents/<safe id>/ and keep their id in the trailer', async () => {
  const dir = emptyRepo();
  const journal = await openJournal({ repo: dir }, edges);
  const ids = ['../x', '/etc/passwd', 'a/b', '..'];

  for (const [i, incidentId] of ids.entries()) await journal.record(entry({ incidentId, at: t0 + i }));

  assert.equal(readdirSync(dir).sort(), ['.git', 'incidents']);
  assert.equal(readdirSync(join(dir, 'incidents')).sort(), ids.map(safeIncidentId).sort());
  for (const id of ids) assert.ok(existsSync(join(dir, 'incidents', safeIncidentId(id), 'summary.md')));
  assert.not.ok(existsSync(join(dir, '..', 'x')));
  assert.equal((await readJournal(dir, edges)).map((e) => e.incidentId), [...ids].reverse());
  assert.equal((await readJournal(dir, edges, { incidentId: 'a/b' })).map((e) => e.incidentId), ['a/b']);
});

test('hostile file names are refused before anything is written or committed', async () => {
  const dir = emptyRepo();
  const journal = await openJournal({ repo: dir }, edges);
  await journal.record(entry());

  for (const name of ['../x', '/etc/passwd', 'a/b', '..', '.git', 'summary.md']) {
    const e = await rejection(journal.record(entry({ event: 'remediated', files: [{ name, content: 'pwned' }] })));
    assert.is(e.code, 'E_JOURNAL_FILE_NAME', e.message);
    assert.ok(e.message.includes(JSON.stringify(name)), e.message);
  }

  assert.is(commitCount(dir), 1);
  assert.equal(readdirSync(join(dir, 'incidents', 'INC-1')).sort(), ['summary.md', 'timeline.json']);
  assert.not.ok(existsSync(join(dir, 'incidents', 'x')));
  assert.not.ok(readFileSync(join(dir, 'incidents', 'INC-1', 'summary.md'), 'utf8').includes('pwned'));
});

test('an incident folder that is a symbolic link is refused', async () => {
  const dir = emptyRepo();
  const outside = tempDir('outside');
  mkdirSync(join(dir, 'incidents'));
  symlinkSync(outside, join(dir, 'incidents', 'INC-1'));
  const journal = await openJournal({ repo: dir }, edges);

  const e = await rejection(journal.record(entry()));

  assert.is(e.code, 'E_JOURNAL_UNSAFE_PATH');
  assert.equal(readdirSync(outside), []);
});

test('feedback without files is kept as feedback-<n>.md', async () => {
  const dir = emptyRepo();
  const journal = await openJournal({ repo: dir }, edges);
  await journal.record(entry());

  await journal.record(entry({ event: 'feedback', status: 'open', at: t0 + 1, by: 'carol', text: 'Rollback took too long.' }));
  await journal.record(entry({ event: 'feedback', status: 'open', at: t0 + 2, by: 'dave', text: 'Add an alert on p99.' }));

  const folder = join(dir, 'incidents', 'INC-1');
  assert.is(readFileSync(join(folder, 'feedback-1.md'), 'utf8'), 'Rollback took too long.\n');
  assert.is(readFileSync(join(folder, 'feedback-2.md'), 'utf8'), 'Add an alert on p99.\n');
  assert.is(commitCount(dir), 3);
});

test('a path that is not a git work tree gives a clear error', async () => {
  const plain = tempDir('plain');
  const missing = join(plain, 'nope');

  const notRepo = await rejection(openJournal({ repo: plain }, edges));
  const absent = await rejection(openJournal({ repo: missing }, edges));
  const reading = await rejection(readJournal(plain, edges));

  assert.is(notRepo.code, 'E_JOURNAL_NOT_REPO');
  assert.match(notRepo.message, `${plain} is not a git work tree`);
  assert.is(absent.code, 'E_JOURNAL_NOT_REPO');
  assert.match(absent.message, `${missing} does not exist`);
  assert.is(reading.code, 'E_JOURNAL_NOT_REPO');
});

test('concurrent records make sequential commits, none lost to index.lock', async () => {
  const dir = emptyRepo();
  const journal = await openJournal({ repo: dir }, edges);
  const n = 12;

  const results = await Promise.all(Array.from({ length: n }, (_, i) =>
    journal.record(entry({ incidentId: `INC-${i % 3}`, event: i < 3 ? 'opened' : 'acknowledged', at: t0 + i }))));

  assert.is(commitCount(dir), n);
  assert.is(new Set(results.map((r) => r.commit)).size, n);
  const parents = git(dir, 'log', '--format=%P').trim().split('\n');
  assert.equal(parents.filter((p) => p.includes(' ')), []);
  for (const i of [0, 1, 2]) {
    const timeline = JSON.parse(readFileSync(join(dir, 'incidents', `INC-${i}`, 'timeline.json'), 'utf8')) as { items: unknown[] };
    assert.is(timeline.items.length, 4);
  }
});

test('a failed record does not block the next one', async () => {
  const dir = emptyRepo();
  const journal = await openJournal({ repo: dir }, edges);

  const bad = journal.record(entry({ status: '' }));
  const good = journal.record(entry());

  assert.is((await rejection(bad)).code, 'E_JOURNAL_ENTRY');
  assert.ok((await good).commit);
  assert.is(commitCount(dir), 1);
});

test('a branch option records on that branch and leaves others alone', async () => {
  const dir = emptyRepo();
  git(dir, '-c', 'user.name=x', '-c', 'user.email=x@example.com', 'commit', '-q', '--allow-empty', '-m', 'initial');
  const journal = await openJournal({ repo: dir, branch: 'journal' }, edges);

  await journal.record(entry());

  assert.is(git(dir, 'rev-list', '--count', 'main').trim(), '1');
  assert.is(git(dir, 'rev-list', '--count', 'journal').trim(), '2');
  assert.equal((await readJournal(dir, edges, { ref: 'journal' })).map((e) => e.event), ['opened']);
  assert.equal(await readJournal(dir, edges, { ref: 'main' }), []);
});

test('files staged by someone else are not swept into a journal commit', async () => {
  const dir = emptyRepo();
  const journal = await openJournal({ repo: dir }, edges);
  await journal.record(entry());
  writeFileSync(join(dir, 'other.txt'), 'wip\n');
  git(dir, 'add', 'other.txt');

  await journal.record(entry({ event: 'acknowledged', status: 'acknowledged', at: t0 + 1 }));

  assert.equal(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort(), ['incidents/INC-1/summary.md', 'incidents/INC-1/timeline.json']);
  assert.is(git(dir, 'status', '--porcelain').trim(), 'A  other.txt');
});

test.run();
