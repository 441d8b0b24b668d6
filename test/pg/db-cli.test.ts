// `pluginops db migrate|status` against a real PostgreSQL: an empty database is reported behind
// (exit 1), migrated, then up to date with no replica and no leader; without `store.postgres` the
// commands exit 2; an unreachable database exits 1 without printing the password.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, project } from '../cli/helpers.ts';
import { latestVersion } from '../../src/pg/migrations/index.ts';
import { freshDatabase } from './cluster.ts';

const projectFile = 'apiVersion: pluginops/v1\nkind: Project\nstore:\n  postgres: { url: { env: PLUGINOPS_DATABASE_URL } }\n';

test('status on an empty database exits 1 with what is pending; migrate applies it; status is then up to date', async () => {
  const dir = project({ 'pluginops.yml': projectFile });
  const env = { PLUGINOPS_DATABASE_URL: await freshDatabase('cli') };
  const before = await cli(['db', 'status'], dir, { env });
  assert.is(before.code, 1, before.stderr);
  assert.match(before.stdout, new RegExp(`version 0 of ${latestVersion} \\(pending: 1 executions`));
  const migrated = await cli(['db', 'migrate'], dir, { env });
  assert.is(migrated.code, 0, migrated.stderr);
  assert.match(migrated.stdout, /applied 1 executions\napplied 2 leader and notifications\n/);
  assert.match(migrated.stdout, new RegExp(`the schema is at version ${latestVersion}`));
  const again = await cli(['db', 'migrate', '--json'], dir, { env });
  assert.equal(JSON.parse(again.stdout).applied, []);
  const after = await cli(['db', 'status', '--json'], dir, { env });
  assert.is(after.code, 0);
  const status = JSON.parse(after.stdout);
  assert.is(status.schema.current, latestVersion);
  assert.equal(status.replicas, []);
  assert.is(status.leader, null);
  assert.not.match(status.database, /:[^@/]*@/, 'no password in the URL shown');
});

test('without store.postgres exit 2; a database that does not answer exits 1 and keeps the password out', async () => {
  const embedded = project({ 'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\n' });
  const none = await cli(['db', 'status'], embedded);
  assert.is(none.code, 2);
  assert.match(none.stderr, /no store\.postgres/);
  const dir = project({ 'pluginops.yml': projectFile });
  const down = await cli(['db', 'migrate'], dir, { env: { PLUGINOPS_DATABASE_URL: 'postgres://ops:S3cretPass@127.0.0.1:1/x' } });
  assert.is(down.code, 1);
  assert.match(down.stderr, /cannot reach the database|ECONNREFUSED/);
  assert.not.match(down.stderr + down.stdout, /S3cretPass/);
  const unset = await cli(['db', 'status'], dir);
  assert.not.equal(unset.code, 0);
  assert.match(unset.stderr, /PLUGINOPS_DATABASE_URL \(store\.postgres\.url\) is not set/);
});

test.run();
