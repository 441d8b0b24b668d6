// `pluginops store import` on archives that are not whole, on a real PostgreSQL: a missing end
// line imports what was complete and exits 1; a bad line names its number and leaves nothing of
// the execution it belonged to; counts that do not add up are caught; an embedded store that a
// live serve owns is refused (exit 4); and what the command line gets wrong exits 2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../src/pg/db.ts';
import { claimStore } from '../../src/store/serve-owner.ts';
import { freshDatabase } from '../pg/cluster.ts';
import { cli, project } from './helpers.ts';
import { filledProject, pgProjectFile, variable } from './store-transfer-fixture.ts';

let archive: string[] = [];

test.before(async () => {
  const dir = await filledProject();
  const r = await cli(['store', 'export', '--out', 'a.jsonl'], dir);
  assert.is(r.code, 0, r.stderr);
  archive = readFileSync(join(dir, 'a.jsonl'), 'utf8').trimEnd().split('\n');
});

/** A PostgreSQL project holding `lines` as its archive `a.jsonl`. */
async function pgProject(lines: string[]): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = project({ 'pluginops.yml': pgProjectFile, 'a.jsonl': `${lines.join('\n')}\n` });
  return { dir, env: { [variable]: await freshDatabase('broken') } };
}

async function rows(url: string): Promise<{ executions: string[]; logs: Record<string, number> }> {
  const db = await openDb(url);
  try {
    const executions = (await db.query<{ id: string }>('SELECT id FROM executions ORDER BY id')).map((r) => r.id);
    const logs = Object.fromEntries((await db.query<{ execution: string; n: string }>('SELECT execution, count(*)::text AS n FROM execution_logs GROUP BY execution')).map((r) => [r.execution, Number(r.n)]));
    return { executions, logs };
  } finally { await db.close(); }
}

const lineOf = (kind: string, id?: string) => archive.findIndex((l) => { const v = JSON.parse(l); return v.kind === kind && (id === undefined || v.record?.id === id || v.execution === id); });

test('an archive without its end line: what was complete is imported, the last execution is not, exit 1', async () => {
  // Up to b-failed's execution line: a-success is followed by another item, b-failed by nothing.
  const { dir, env } = await pgProject(archive.slice(0, lineOf('execution', 'b-failed') + 1));

  const r = await cli(['store', 'import', 'a.jsonl'], dir, { env });

  assert.is(r.code, 1);
  assert.match(r.stderr, /E_ARCHIVE_TRUNCATED: a\.jsonl stops after line 6 without its end line/);
  assert.match(r.stdout, /before the error, imported a\.jsonl/);
  assert.equal(await rows(env[variable]!), { executions: ['a-success'], logs: { 'a-success': 1200 } });
});

test('an archive cut in the middle of a log: nothing of that execution is written', async () => {
  const { dir, env } = await pgProject(archive.slice(0, lineOf('log', 'a-success') + 2));

  const r = await cli(['store', 'import', 'a.jsonl', '--json'], dir, { env });

  assert.is(r.code, 1);
  const summary = JSON.parse(r.stdout);
  assert.equal([summary.complete, summary.error.code, summary.imported.executions], [false, 'E_ARCHIVE_TRUNCATED', 0]);
  assert.equal(await rows(env[variable]!), { executions: [], logs: {} });
});

test('a malformed log line: its line number in the error, and its execution left out entirely', async () => {
  const broken = [...archive];
  const at = lineOf('log', 'a-success') + 1;
  broken[at] = JSON.stringify({ kind: 'log', execution: 'a-success', records: [{ timestamp: 'now', level: 'loud', message: 'x' }] });
  const { dir, env } = await pgProject(broken);

  const r = await cli(['store', 'import', 'a.jsonl'], dir, { env });

  assert.is(r.code, 1);
  assert.match(r.stderr, `error: E_ARCHIVE_LINE: a.jsonl line ${at + 1}: the log chunk of a-success: "records" must be log records`);
  assert.equal(await rows(env[variable]!), { executions: [], logs: {} });
});

test('a line that is not JSON after some executions: those before stay, the error names the line', async () => {
  const broken = [...archive];
  const at = lineOf('state');
  broken[at] = '{"kind":"state","name":"monitor",';
  const { dir, env } = await pgProject(broken);

  const r = await cli(['store', 'import', 'a.jsonl'], dir, { env });

  assert.is(r.code, 1);
  assert.match(r.stderr, `a.jsonl line ${at + 1}: not JSON`);
  // d-running comes right before the bad line, which might have been its log: it is left out too.
  assert.equal((await rows(env[variable]!)).executions, ['a-success', 'b-failed', 'c-waiting']);
});

test('a line missing from the middle: the end line\'s counts catch it after the rest is imported', async () => {
  const broken = archive.filter((_, i) => i !== lineOf('worker'));
  const { dir, env } = await pgProject(broken);

  const r = await cli(['store', 'import', 'a.jsonl'], dir, { env });

  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /E_ARCHIVE_COUNTS: a\.jsonl line \d+: .*\(workers: 1 said, 0 found\): lines are missing/);
  assert.is((await rows(env[variable]!)).executions.length, 4);
});

test('a file that is not an archive: refused before the database is touched', async () => {
  const { dir, env } = await pgProject(['{"hello":"world"}']);

  const r = await cli(['store', 'import', 'a.jsonl'], dir, { env });

  assert.is(r.code, 1);
  assert.match(r.stderr, 'a.jsonl is not a pluginops store archive');
  const db = await openDb(env[variable]!);
  try {
    assert.equal(await db.query("SELECT to_regclass('executions') AS t"), [{ t: null }], 'not even migrated');
  } finally { await db.close(); }
});

test('an embedded store a live serve owns is refused (exit 4); PostgreSQL is not', async () => {
  const dir = project({ 'a.jsonl': `${archive.join('\n')}\n` });
  const release = await claimStore(join(dir, '.pluginops'));
  try {
    const r = await cli(['store', 'import', 'a.jsonl'], dir);

    assert.is(r.code, 4);
    assert.match(r.stderr, /a serve \(pid \d+ on .+\) is running on the store/);
  } finally { await release(); }
  const after = await cli(['store', 'import', 'a.jsonl'], dir);
  assert.is(after.code, 0, after.stderr);
});

test('usage: --from postgres without a database, an unknown --into, no archive file', async () => {
  const dir = project({});
  writeFileSync(join(dir, 'a.jsonl'), `${archive.join('\n')}\n`);

  const noDb = await cli(['store', 'export', '--from', 'postgres'], dir);
  const badInto = await cli(['store', 'import', 'a.jsonl', '--into', 'sqlite'], dir);
  const noFile = await cli(['store', 'import'], dir);
  const missing = await cli(['store', 'import', 'nope.jsonl'], dir);

  assert.equal([noDb.code, badInto.code, noFile.code, missing.code], [2, 2, 2, 1]);
  assert.match(noDb.stderr, 'the project names no database');
  assert.match(badInto.stderr, '--into expects embedded or postgres, found "sqlite"');
  assert.match(missing.stderr, 'cannot read nope.jsonl: no such file');
  assert.is(noDb.stdout, '', 'no archive begun');
});

test.run();
