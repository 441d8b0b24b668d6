// What the PostgreSQL benchmark needs around `serve`: a throwaway server (scripts/pg-cluster.mjs)
// with a fresh database per measurement, `serve --cron` replicas of the built CLI as child
// processes (the bundle starts in a fraction of the sources' time, and replicas are restarted
// often), their role from /readyz, and their memory and CPU time from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
// @ts-expect-error a plain .mjs module without types
import { startCluster } from '../scripts/pg-cluster.mjs';

export interface Cluster {
  /** The server's own `postgres` database, as user postgres. */
  url: string;
  /** The cluster's directory: its data, socket and log. */
  dir: string;
  stop(): void;
}

export const startPostgres = (): Promise<Cluster> => startCluster() as Promise<Cluster>;

/** A new, empty database on the cluster; resolves with its URL. */
export async function freshDatabase(cluster: Cluster, prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: cluster.url });
  await c.connect();
  try { await c.query(`CREATE DATABASE ${name}`); } finally { await c.end(); }
  const u = new URL(cluster.url);
  u.pathname = `/${name}`;
  return u.toString();
}

export const databaseEnv = 'PLUGINOPS_DATABASE_URL';

/** Makes a project written by `checksProject` keep its store in the database named by PLUGINOPS_DATABASE_URL. */
export function usePostgres(dir: string, leaderLease: string): void {
  appendFileSync(join(dir, 'pluginops.yml'), `\nstore:\n  postgres: { url: { env: ${databaseEnv} }, leaderLease: ${leaderLease} }\n`);
}

export interface Replica {
  child: ChildProcess;
  url: string;
  pid: number;
  exited: Promise<void>;
  stderr(): string;
}

/** `node dist/cli.js serve --cron --port 0 --log json` in `dir`, once it says where it listens. */
export async function startReplica(o: { cli: string; dir: string; env: Record<string, string> }): Promise<Replica> {
  const child = spawn(process.execPath, [o.cli, 'serve', '--cron', '--port', '0', '--host', '127.0.0.1', '--log', 'json'], {
    cwd: o.dir, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err = (err + c.toString()).slice(-4000); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`serve did not listen within 60 s: ${err}`)); }, 60_000);
    const onData = (c: Buffer) => {
      buf = (buf + c.toString()).slice(-100_000);
      const m = /listening on (http:\/\/[\d.:]+)/.exec(buf);
      if (!m) return;
      clearTimeout(timer);
      // Read on and dropped from here: a full pipe would stall the replica.
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`serve exited ${code ?? signal} before listening: ${err}`)); });
  });
  return { child, url, pid: child.pid!, exited, stderr: () => err };
}

export async function kill(r: Replica): Promise<void> {
  if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  await r.exited;
}

/** SIGTERM, then SIGKILL when it has not exited within 15 s. */
export async function stopReplica(r: Replica): Promise<void> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return;
  r.child.kill('SIGTERM');
  const late = setTimeout(() => r.child.kill('SIGKILL'), 15_000);
  await r.exited;
  clearTimeout(late);
}

export type Role = 'leader' | 'follower';

/** The replica's role from /readyz, or undefined while it does not answer. */
export async function roleOf(r: Replica): Promise<Role | undefined> {
  try {
    const res = await fetch(`${r.url}/readyz`, { signal: AbortSignal.timeout(1_000) });
    const body = await res.json() as { components?: { role?: Role } };
    return body.components?.role;
  } catch { return undefined; }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` every `everyMs` until it gives a value; throws after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, o: { everyMs: number; timeoutMs: number }): Promise<T> {
  const end = performance.now() + o.timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`no ${what} within ${o.timeoutMs} ms`);
    await sleep(o.everyMs);
  }
}

/** The one replica of `rs` that leads, once the others say they follow. */
export const leaderOf = (rs: readonly Replica[], timeoutMs = 30_000): Promise<Replica> => until('single leader', async () => {
  const roles = await Promise.all(rs.map(roleOf));
  const leaders = rs.filter((_, i) => roles[i] === 'leader');
  return leaders.length === 1 && roles.every((x) => x !== undefined) ? leaders[0] : undefined;
}, { everyMs: 50, timeoutMs });

// ——— /proc ———

export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/** Fields of /proc/<pid>/stat after the command name: [0] is the state, [1] the parent, [11]/[12] utime/stime, [13]/[14] of waited-for children. */
function statFields(pid: number): string[] | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch { return undefined; }
}

/** User + system CPU time of a process, in ms (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const f = statFields(pid);
  if (!f) throw new Error(`no /proc/${pid}/stat`);
  return (Number(f[11]) + Number(f[12])) * 10;
}

/**
 * CPU time of the PostgreSQL server, in ms: the postmaster with what its exited children used,
 * and every live child (a backend per connection, the writers). A backend that ends between two
 * readings moves from the second sum into the first, so the total only grows.
 */
export function serverCpuMs(cluster: Cluster): number {
  const postmaster = Number(readFileSync(join(cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const own = statFields(postmaster);
  if (!own) throw new Error('the PostgreSQL server is not running');
  let ms = (Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) * 10;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && Number(f[1]) === postmaster) ms += (Number(f[11]) + Number(f[12])) * 10;
  }
  return ms;
}
