// The PostgreSQL benchmark's parts with real `serve --cron` processes: how soon a follower leads
// after the leader is SIGKILLed, and what each replica holds in memory (and spends in CPU) with
// 2,000 health checks, against one embedded `serve` with the same checks.
import { rmSync } from 'node:fs';
import { checksProject, metricValue, parseMetrics, type Target } from './serve-world.ts';
import {
  cpuMs, databaseEnv, freshDatabase, kill, leaderOf, roleOf, rssBytes, serverCpuMs, sleep, startReplica, stopReplica, until, usePostgres,
  type Cluster, type Replica,
} from './postgres-replicas.ts';
import { median } from './stats.ts';

const TOKEN = 'bench-read-token-0123456789abcdef';

export interface Failover {
  /** Kill to the other replica's /readyz saying leader, ms. */
  takeovers: number[];
  leaseMs: number;
}

/**
 * Two replicas with a `leaderLease` of `leaseMs` and one HTTP check every second. `kills` times:
 * wait a moment that moves the kill across the lease's renewal period, SIGKILL the leader, poll
 * the other's /readyz every 25 ms until it leads, then start the killed one again and wait until
 * it follows.
 */
export async function failover(o: { cli: string; cluster: Cluster; target: Target; kills: number; leaseMs: number; log(m: string): void }): Promise<Failover> {
  const dir = checksProject({ prefix: 'pluginops-bench-pg-failover-', checks: 1, intervalS: 1, target: o.target.url });
  usePostgres(dir, `${o.leaseMs / 1000}s`);
  const env = { [databaseEnv]: await freshDatabase(o.cluster, 'bench_failover'), BENCH_TOKEN: TOKEN };
  const started: Replica[] = [];
  const start = async () => { const r = await startReplica({ cli: o.cli, dir, env }); started.push(r); return r; };
  const takeovers: number[] = [];
  const renewMs = Math.max(200, Math.floor(o.leaseMs / 5));
  try {
    // One after the other, so the first one migrates the new database alone.
    let replicas = [await start()];
    replicas.push(await start());
    for (let k = 0; k < o.kills; k++) {
      const leader = await leaderOf(replicas);
      const other = replicas.find((r) => r !== leader)!;
      // Kill points spread over a renewal period: what is left of the lease at the kill varies.
      await sleep(300 + ((k * 0.37) % 1) * renewMs);
      const t0 = performance.now();
      leader.child.kill('SIGKILL');
      await until('takeover', async () => ((await roleOf(other)) === 'leader' ? true : undefined), { everyMs: 25, timeoutMs: o.leaseMs * 5 });
      const ms = performance.now() - t0;
      takeovers.push(ms);
      await kill(leader);
      const back = await start();
      replicas = [other, back];
      o.log(`  kill ${k + 1}/${o.kills}: the other replica led after ${ms.toFixed(0)} ms; restarted replica up`);
    }
    return { takeovers, leaseMs: o.leaseMs };
  } catch (e) {
    throw new Error(`${(e as Error).message}; last replica's stderr: ${started.at(-1)?.stderr().slice(-1000) ?? ''}`);
  } finally {
    await Promise.all(started.map(kill));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One process over the measuring window. */
export interface Usage {
  /** VmRSS, sampled every second. */
  rss: number[];
  /** CPU time over the window ÷ the window: 1 is one core busy. */
  cpu: number;
  /** Checks run per second over the window, from its /metrics (the leader's and the embedded one's). */
  checksPerS?: number;
}

export interface Footprint {
  embedded: Usage;
  leader: Usage;
  follower: Usage;
  /** The PostgreSQL server during the replicas' window: its processes' CPU. */
  server: { cpu: number };
}

const checksRun = async (r: Replica) => metricValue(parseMetrics(await (await fetch(`${r.url}/metrics`)).text()), 'pluginops_checks_run_total');

/** After `warmupMs`, samples the processes' RSS every second for `windowMs`, and their CPU time and checks run across it. */
async function watch(rs: readonly Replica[], o: { warmupMs: number; windowMs: number; cluster?: Cluster }): Promise<{ usage: Usage[]; serverCpu: number }> {
  await sleep(o.warmupMs);
  const cpu0 = rs.map((r) => cpuMs(r.pid));
  const server0 = o.cluster ? serverCpuMs(o.cluster) : 0;
  const runs0 = await Promise.all(rs.map(checksRun));
  const t0 = performance.now();
  const rss: number[][] = rs.map(() => []);
  while (performance.now() - t0 < o.windowMs) {
    rs.forEach((r, i) => rss[i]!.push(rssBytes(r.pid)));
    await sleep(1_000);
  }
  const elapsed = performance.now() - t0;
  const runs1 = await Promise.all(rs.map(checksRun));
  const serverCpu = o.cluster ? (serverCpuMs(o.cluster) - server0) / elapsed : 0;
  const usage = rs.map((r, i) => ({ rss: rss[i]!, cpu: (cpuMs(r.pid) - cpu0[i]!) / elapsed, checksPerS: ((runs1[i]! - runs0[i]!) * 1000) / elapsed }));
  for (const r of rs) if (r.child.exitCode !== null || r.child.signalCode !== null) throw new Error(`a serve process exited during the window: ${r.stderr().slice(-1000)}`);
  return { usage, serverCpu };
}

/**
 * `checks` HTTP checks at `intervalS` against the target: first one embedded `serve --cron`
 * (its store under .pluginops/), then two replicas on a new database; each after `warmupMs` from
 * the moment it (both) listened, over the same window.
 */
export async function footprint(o: { cli: string; cluster: Cluster; target: Target; checks: number; intervalS: number; warmupMs: number; windowMs: number; log(m: string): void }): Promise<Footprint> {
  const mib = (b: number) => (b / 2 ** 20).toFixed(0);
  const show = (label: string, u: Usage) => `${label} RSS ${mib(median(u.rss))} MiB, CPU ${(u.cpu * 100).toFixed(0)}% of a core, ${u.checksPerS?.toFixed(0)} checks/s`;

  const solo = checksProject({ prefix: 'pluginops-bench-pg-embedded-', checks: o.checks, intervalS: o.intervalS, target: o.target.url });
  let embedded: Usage;
  try {
    const r = await startReplica({ cli: o.cli, dir: solo, env: { BENCH_TOKEN: TOKEN } });
    try {
      embedded = (await watch([r], o)).usage[0]!;
    } finally { await stopReplica(r); }
  } finally { rmSync(solo, { recursive: true, force: true }); }
  o.log(`  embedded: ${show('', embedded)}`);

  const dir = checksProject({ prefix: 'pluginops-bench-pg-replicas-', checks: o.checks, intervalS: o.intervalS, target: o.target.url });
  usePostgres(dir, '10s');
  const env = { [databaseEnv]: await freshDatabase(o.cluster, 'bench_rss'), BENCH_TOKEN: TOKEN };
  const rs: Replica[] = [];
  try {
    rs.push(await startReplica({ cli: o.cli, dir, env }));
    rs.push(await startReplica({ cli: o.cli, dir, env }));
    const leader = await leaderOf(rs);
    const follower = rs.find((r) => r !== leader)!;
    const { usage, serverCpu } = await watch([leader, follower], o);
    // The roles must not have changed hands inside the window.
    if ((await roleOf(leader)) !== 'leader') throw new Error('the leader changed during the window');
    const [l, f] = usage as [Usage, Usage];
    o.log(`  PostgreSQL: ${show('leader', l)}; ${show('follower', f)}; server CPU ${(serverCpu * 100).toFixed(0)}% of a core`);
    return { embedded, leader: l, follower: { ...f, checksPerS: undefined }, server: { cpu: serverCpu } };
  } catch (e) {
    throw new Error(`${(e as Error).message}; replicas' stderr: ${rs.map((r) => r.stderr().slice(-600)).join(' | ')}`);
  } finally {
    await Promise.all(rs.map(stopReplica));
    rmSync(dir, { recursive: true, force: true });
  }
}
