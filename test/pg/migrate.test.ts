import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openDb } from '../../src/pg/db.ts';
import { DatabaseError } from '../../src/pg/errors.ts';
import { migrate, schemaStatus } from '../../src/pg/migrate.ts';
import { latestVersion, migrations } from '../../src/pg/migrations/index.ts';
import { freshDatabase } from './cluster.ts';

test('an empty database is migrated to the latest version, and a second run applies nothing', async () => {
  const db = await openDb(await freshDatabase());
  try {
    assert.equal((await schemaStatus(db)).current, 0);
    const first = await migrate(db);
    assert.equal(first.applied, migrations.map((m) => m.version));
    assert.equal(first.status.current, latestVersion);
    assert.equal(first.status.pending, []);
    assert.equal((await migrate(db)).applied, []);
  } finally { await db.close(); }
});

test('two processes migrating at once apply each version once (the second waits for the first)', async () => {
  const url = await freshDatabase();
  const [a, b] = [await openDb(url), await openDb(url)];
  try {
    const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
    assert.equal([...ra.applied, ...rb.applied].sort(), migrations.map((m) => m.version).sort());
    const rows = await a.query<{ n: string }>('SELECT count(*) AS n FROM pluginops_migrations');
    assert.equal(Number(rows[0]!.n), migrations.length);
  } finally { await a.close(); await b.close(); }
});

test('a database at an older schema version is brought forward, keeping its rows', async () => {
  const db = await openDb(await freshDatabase());
  try {
    await migrate(db, { upTo: 1 });
    await db.query("INSERT INTO executions (id, workflow, status, created_at, record) VALUES ('e1', 'w', 'success', now(), '{}')");
    assert.equal((await schemaStatus(db)).pending.map((p) => p.version), migrations.filter((m) => m.version > 1).map((m) => m.version));
    const r = await migrate(db);
    assert.equal(r.applied, migrations.filter((m) => m.version > 1).map((m) => m.version));
    assert.equal((await db.query('SELECT id FROM executions')).length, 1);
  } finally { await db.close(); }
});

test('a migration that fails applies nothing of the run', async () => {
  const db = await openDb(await freshDatabase());
  const broken = [...migrations, { version: latestVersion + 1, name: 'broken', statements: ['CREATE TABLE extra (x int)', 'SELECT * FROM no_such_table'] }];
  try {
    await migrate(db, { upTo: 1 });
    await migrate(db, { known: broken }).then(() => assert.unreachable('should fail'), (e: unknown) => {
      assert.instance(e, DatabaseError);
      assert.match((e as Error).message, /no_such_table/);
    });
    assert.equal((await schemaStatus(db)).current, 1);
    assert.equal((await db.query("SELECT to_regclass('extra') AS t"))[0], { t: null });
  } finally { await db.close(); }
});

test('a database migrated by a newer pluginops is refused with E_SCHEMA_NEWER', async () => {
  const db = await openDb(await freshDatabase());
  try {
    await migrate(db);
    await db.query('INSERT INTO pluginops_migrations (version, name) VALUES ($1, $2)', [latestVersion + 1, 'from the future']);
    await migrate(db).then(() => assert.unreachable('should refuse'), (e: unknown) => {
      assert.is((e as DatabaseError).code, 'E_SCHEMA_NEWER');
      assert.match((e as Error).message, /newer than this pluginops knows/);
    });
  } finally { await db.close(); }
});

test('a server that does not answer is E_DATABASE_UNREACHABLE, and the message keeps the password out', async () => {
  const db = await openDb('postgres://someone:hunter2@127.0.0.1:1/nowhere', { connectTimeoutMs: 1_000 });
  try {
    await schemaStatus(db).then(() => assert.unreachable('should fail'), (e: unknown) => {
      assert.is((e as DatabaseError).code, 'E_DATABASE_UNREACHABLE');
      assert.not.match((e as Error).message, /hunter2/);
    });
  } finally { await db.close(); }
});

test('a URL that is not postgres:// is refused before any connection', async () => {
  await openDb('mysql://x@y/z').then(() => assert.unreachable('should refuse'), (e: unknown) => assert.is((e as DatabaseError).code, 'E_DATABASE_URL'));
});

test.run();
