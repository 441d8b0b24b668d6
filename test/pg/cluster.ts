// A database of its own for each test file: on the server the test command started
// (PLUGINOPS_TEST_PG, a URL to its `postgres` database), or, when a file runs alone, on a server
// this process starts and stops at exit.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
// @ts-expect-error a plain .mjs module without types
import { startCluster } from '../../scripts/pg-cluster.mjs';

let own: Promise<{ url: string; stop: () => void }> | undefined;

async function serverUrl(): Promise<string> {
  if (process.env.PLUGINOPS_TEST_PG) return process.env.PLUGINOPS_TEST_PG;
  own ??= startCluster().then((c: { url: string; stop: () => void }) => { process.on('exit', () => c.stop()); return c; });
  return (await own!).url;
}

/** A new, empty database; resolves with its URL. */
export async function freshDatabase(prefix = 't'): Promise<string> {
  const base = await serverUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try { await c.query(`CREATE DATABASE ${name}`); } finally { await c.end(); }
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The URL of the server's own database, for tests that stop and start nothing but need a login. */
export const clusterUrl = serverUrl;
