// A throwaway PostgreSQL server for the tests and the benchmarks: Debian's binaries
// (/usr/lib/postgresql/<version>/bin, or PG_BIN), a new cluster in a temporary directory
// (`initdb`), started on a free loopback port with its socket in the same directory, trusting
// local logins, and removed when stopped. `fsync` is off (a test never outlives the machine), but
// commits are synchronous, so a server killed with `pause` keeps every commit it acknowledged. As root the server runs as the `postgres` user
// (PostgreSQL refuses to run as root).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export function pgBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.length ? join(base, versions[0], 'bin') : undefined;
}

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

/**
 * Starts a cluster; resolves with `{ url, port, dir, stop, pause, resume }`. `url` names the
 * `postgres` database as user `postgres`. `pause` stops the server and keeps its data, `resume`
 * starts it again on the same port (tests of a database that goes away and comes back).
 */
export async function startCluster() {
  const bin = pgBin();
  if (!bin) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/test-deps.sh');
  const root = process.getuid?.() === 0;
  // Not under the tests' TMPDIR: as root that directory is private, and the server runs as postgres.
  const dir = mkdtempSync(join('/tmp', 'pluginops-pg-'));
  chmodSync(dir, 0o755);
  const asPostgres = (cmd, args) => root
    ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
    : spawnSync(cmd, args, { encoding: 'utf8' });
  if (root) execFileSync('chown', ['postgres:postgres', dir]);
  const data = join(dir, 'data');
  const init = asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
  const begin = () => {
    const start = asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr || start.stdout}`);
  };
  begin();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  const pause = () => { asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']); };
  return { url, port, dir, stop, pause, resume: begin };
}
