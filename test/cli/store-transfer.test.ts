// `pluginops store export|import` across the two stores, on a real PostgreSQL: the embedded store
// exported, imported into the database, exported again from there, and the two archives hold the
// same items; a second import skips everything; the database's archive imported into a fresh
// embedded store reads back the same, and the store's own API finds what was imported.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../src/pg/db.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import { movedMessage } from '../../src/cli/commands/store-import.ts';
import { freshDatabase } from '../pg/cluster.ts';
import { cli, project } from './helpers.ts';
import { archiveLines, contents, filledProject, logLines, pgProjectFile, variable } from './store-transfer-fixture.ts';

const counts = { executions: 4, logs: logLines + 1, states: 2, tasks: 2, workers: 1 };

test('embedded → archive → PostgreSQL → archive: the same items; a second import skips them all', async () => {
  const dir = await filledProject({ 'pluginops.yml': pgProjectFile });
  const env = { [variable]: await freshDatabase('transfer') };

  const exported = await cli(['store', 'export', '--from', 'embedded', '--out', 'first.jsonl'], dir, { env });
  const imported = await cli(['store', 'import', 'first.jsonl', '--json'], dir, { env });
  const again = await cli(['store', 'import', 'first.jsonl', '--json'], dir, { env });
  const fromPg = await cli(['store', 'export', '--out', 'second.jsonl', '--json'], dir, { env });
  const listed = await cli(['executions', 'list', '--json'], dir, { env });

  assert.is(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, 'exported 4 executions (1201 log lines), 2 state documents, 2 tasks and 1 worker from the embedded store');
  const first = archiveLines(join(dir, 'first.jsonl'));
  assert.equal({ ...first[0], exportedAt: 'x' }, { format: 'pluginops-store', version: 1, exportedAt: 'x', from: 'embedded' });
  assert.equal(first.at(-1), { kind: 'end', counts });
  assert.is(first.filter((l) => l.kind === 'log' && l.execution === 'a-success').length, 3, 'the long log travels in chunks of 500');
  assert.equal(first.find((l) => l.kind === 'task' && (l.task as { id: string }).id === 't-2')?.sealed, { password: { masked: '***', parts: [{ env: 'DEPLOY_PASSWORD' }] } });

  assert.is(imported.code, 0, imported.stderr);
  const summary = JSON.parse(imported.stdout);
  assert.equal([summary.complete, summary.into, summary.from, summary.imported], [true, 'postgres', 'embedded', counts]);
  assert.is(again.code, 0, again.stderr);
  const skipped = JSON.parse(again.stdout);
  assert.equal([skipped.imported, skipped.skipped], [{ executions: 0, logs: 0, states: 0, tasks: 0, workers: 0 }, counts]);

  assert.is(fromPg.code, 0, fromPg.stderr);
  assert.equal(JSON.parse(fromPg.stdout).counts, counts);
  const a = contents(join(dir, 'first.jsonl'));
  const b = contents(join(dir, 'second.jsonl'));
  assert.is(archiveLines(join(dir, 'second.jsonl'))[0]?.from, 'postgres');
  // The run that was still going belongs to a process of the embedded store: interrupted here.
  const running = b.executions['d-running']!;
  assert.equal([running.status, running.error, running.steps.build?.status], ['interrupted', movedMessage, 'interrupted']);
  assert.ok(running.endedAt, 'settled with an end time, as recovery settles runs');
  assert.equal({ ...b, executions: { ...b.executions, 'd-running': a.executions['d-running'] } }, a);

  assert.is(listed.code, 0, listed.stderr);
  assert.equal((JSON.parse(listed.stdout) as Array<{ id: string }>).map((e) => e.id).sort(), ['a-success', 'b-failed', 'c-waiting', 'd-running']);
  const db = await openDb(env[variable]!);
  try {
    const logs = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM execution_logs WHERE execution = 'a-success'");
    assert.is(logs[0]?.n, String(logLines));
    const firstLines = await db.query<{ message: string }>("SELECT record->>'message' AS message FROM execution_logs WHERE execution = 'a-success' ORDER BY seq LIMIT 2");
    assert.equal(firstLines.map((l) => l.message), ['line 0 "quoted" \\ and ünïcode', 'line 1 "quoted" \\ and ünïcode'], 'the log keeps its order');
    const task = await db.query<{ state: string; priority: number; worker: string }>("SELECT state, priority, worker FROM tasks WHERE id = 't-1'");
    assert.equal(task, [{ state: 'succeeded', priority: 1, worker: 'w-1' }], 'the last line of a task in the journal wins');
    const workers = await db.query<{ online: boolean }>('SELECT online FROM workers');
    assert.equal(workers, [{ online: false }]);
  } finally { await db.close(); }
});

test('PostgreSQL → archive → a fresh embedded store: the same items, found by the store\'s own API', async () => {
  const source = await filledProject({ 'pluginops.yml': pgProjectFile });
  const env = { [variable]: await freshDatabase('transfer') };
  assert.is((await cli(['store', 'export', '--from', 'embedded', '--out', 'first.jsonl'], source, { env })).code, 0);
  assert.is((await cli(['store', 'import', 'first.jsonl'], source, { env })).code, 0);
  assert.is((await cli(['store', 'export', '--out', 'pg.jsonl'], source, { env })).code, 0);
  const target = project({});

  const imported = await cli(['store', 'import', join(source, 'pg.jsonl')], target);
  const back = await cli(['store', 'export', '--out', 'back.jsonl'], target);

  assert.is(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /into the embedded store/);
  assert.match(imported.stdout, /executions\s+4 imported\n\s+log lines\s+1201 imported/);
  assert.is(back.code, 0, back.stderr);
  assert.equal(contents(join(target, 'back.jsonl')), contents(join(source, 'pg.jsonl')));
  const storeDir = join(target, '.pluginops');
  const store = await openFileStore(storeDir);
  try {
    assert.is((await store.logs('a-success')).length, logLines);
    assert.equal((await store.list({ status: 'waiting' })).map((e) => e.id), ['c-waiting'], 'a waiting run is indexed as waiting');
    assert.is((await store.get('d-running'))?.status, 'interrupted');
    assert.equal(await store.recover(), [], 'nothing left for recovery');
  } finally { await store.close(); }
  assert.ok(existsSync(join(storeDir, 'monitor', 'state.json')) && existsSync(join(storeDir, 'monitor', 'histories.json')));

  const twice = await cli(['store', 'import', join(source, 'pg.jsonl'), '--json'], target);
  assert.is(twice.code, 0, twice.stderr);
  assert.equal(JSON.parse(twice.stdout).skipped, counts);
});

test('--out - writes the archive to stdout and the summary to stderr', async () => {
  const dir = await filledProject();

  const r = await cli(['store', 'export'], dir);

  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.is(lines[0].format, 'pluginops-store');
  assert.equal(lines.at(-1), { kind: 'end', counts });
  assert.match(r.stderr, /exported 4 executions .* to stdout/);
});

test.run();
