// `serve` on PostgreSQL against the embedded store, in three parts (the issue: "tasks through the
// queue with 4 workers: throughput and p99 claim latency, side by side with the embedded store;
// leader failover time; serve RSS per replica at 2,000 checks").
//
// 1. The task queue port in process: the same tasks and 4 workers on `BoardQueue` (the board on
//    a file journal) and on two `PgTaskQueue` replicas sharing one database (postgres-queue.ts);
//    and the long poll woken across replicas.
// 2. Failover: two real `serve --cron` replicas of the built CLI, the leader SIGKILLed again and
//    again, timed until the other one's /readyz says it leads (postgres-serve.ts).
// 3. Memory: 2,000 HTTP checks every 10 s on one embedded `serve`, then on two replicas; the RSS
//    (and CPU) of each process over the same window.
//
// Everything runs on one throwaway PostgreSQL server on loopback (scripts/pg-cluster.mjs), which
// shares the machine's cores with the bench and the replicas.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { drain, newTasks, openEmbedded, openReplicas, taskCaps, wakes, WORKERS, type DrainRun, type Opened } from './postgres-queue.ts';
import { serverCpuMs, startPostgres, type Cluster } from './postgres-replicas.ts';
import { failover, footprint, type Usage } from './postgres-serve.ts';
import { quantile, startTarget } from './serve-world.ts';
import { median } from './stats.ts';
import type { Benchmark, Row } from './types.ts';

const TASKS = 2_000;
/** Runs of each store (full run), wake-ups timed, leader kills. */
const RUNS = 3;
const WAKES = 50;
const KILLS = 5;
const CHECKS = 2_000;
const INTERVAL_S = 10;
const LEASE_MS = 2_000;
/** Memory part: from start-up to the window, and the window (full run). */
const WARMUP_S = 25;
const WINDOW_S = 15;
const thousands = (x: number) => x.toLocaleString('en');
const mib = (b: number) => b / 2 ** 20;

/** Whether dist/cli.js is older than some source file: then the replicas would run old code. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }
  return newest;
}

/** CPU of the bench process (both replicas when on PostgreSQL) and of the server, over the run(s): medians of the runs. */
function cpuNote(xs: DrainRun | DrainRun[]): string {
  const rs = Array.isArray(xs) ? xs : [xs];
  const server = rs.flatMap((r) => (r.serverCpu === undefined ? [] : [r.serverCpu]));
  return `bench process ${(median(rs.map((r) => r.cpu)) * 100).toFixed(0)}%${server.length ? `, PostgreSQL server ${(median(server) * 100).toFixed(0)}%` : ''} of a core`;
}

interface QueueResults { embedded: DrainRun[]; postgres: DrainRun[]; wakeEmbedded: number[]; wakePostgres: number[] }

async function queueParts(cluster: Cluster, o: { quick: boolean; log(m: string): void }): Promise<QueueResults> {
  const n = o.quick ? 300 : TASKS;
  const runs = o.quick ? 1 : RUNS;
  const out: QueueResults = { embedded: [], postgres: [], wakeEmbedded: [], wakePostgres: [] };
  const rate = (r: DrainRun) => `${Math.round(r.n / (r.runMs / 1000))} tasks/s, claim p50 ${quantile(r.claims, 0.5).toFixed(2)} ms p99 ${quantile(r.claims, 0.99).toFixed(2)} ms, progress p50 ${quantile(r.progress, 0.5).toFixed(2)} ms, complete p50 ${quantile(r.completes, 0.5).toFixed(2)} ms; CPU ${cpuNote(r)} (submit ${(r.submitMs / 1000).toFixed(2)} s)`;
  const using = async <T>(open: () => Promise<Opened>, fn: (o: Opened) => Promise<T>): Promise<T> => {
    const q = await open();
    try { return await fn(q); } finally { await q.close(); }
  };
  // Alternating, so that neither store always runs on a warmer JIT.
  for (let r = 0; r < runs; r++) {
    const input = newTasks(n, 11 + r);
    for (const pg of r % 2 === 0 ? [false, true] : [true, false]) {
      const run = await using(pg ? () => openReplicas(cluster, `bench_queue${r}`) : openEmbedded, (q) => drain(q, input, pg ? () => serverCpuMs(cluster) : undefined));
      (pg ? out.postgres : out.embedded).push(run);
      o.log(`  ${thousands(n)} tasks, ${pg ? 'PostgreSQL, 2 replicas' : 'embedded'} ${r + 1}/${runs}: ${rate(run)}`);
    }
  }
  const tries = o.quick ? 15 : WAKES;
  out.wakeEmbedded = await using(openEmbedded, (q) => wakes(q, tries));
  out.wakePostgres = await using(() => openReplicas(cluster, 'bench_wake'), (q) => wakes(q, tries));
  o.log(`  long poll woken by a submit: embedded p50 ${median(out.wakeEmbedded).toFixed(2)} ms; across replicas p50 ${median(out.wakePostgres).toFixed(2)} ms, max ${Math.max(...out.wakePostgres).toFixed(1)} ms`);
  return out;
}

function queueRows(q: QueueResults): Row[] {
  const n = q.embedded[0]!.n;
  const tput = (xs: DrainRun[]) => xs.map((x) => x.n / (x.runMs / 1000));
  const claimQ = (p: number) => (xs: DrainRun[]) => xs.map((x) => quantile(x.claims, p));
  const submit = (xs: DrainRun[]) => `${(1000 / median(tput(xs))).toFixed(2)} ms per task; progress p50 ${median(xs.map((x) => quantile(x.progress, 0.5))).toFixed(2)} ms, complete p50 ${median(xs.map((x) => quantile(x.completes, 0.5))).toFixed(2)} ms; CPU ${cpuNote(xs)}; submit ${Math.round(median(xs.map((x) => x.n / (x.submitMs / 1000))))} tasks/s from ${WORKERS} loops`;
  const label = `${thousands(n)} tasks, ${WORKERS} workers`;
  const rows: Row[] = [];
  const metrics = [
    { what: 'throughput', unit: 'tasks/s', f: tput, note: submit },
    { what: 'claim() p50', unit: 'ms', f: claimQ(0.5) },
    { what: 'claim() p99', unit: 'ms', f: claimQ(0.99), note: (xs: DrainRun[]) => `max ${median(xs.map((x) => Math.max(...x.claims))).toFixed(1)} ms (median of runs)` },
  ];
  for (const m of metrics) {
    const base = `${label}, embedded: ${m.what}`;
    const pg = median(m.f(q.postgres)), emb = median(m.f(q.embedded));
    rows.push({ name: `${label}, PostgreSQL (2 replicas × 2 workers): ${m.what}`, value: pg, unit: m.unit, samples: m.f(q.postgres), baseline: base, ratio: pg / emb, ...(m.note ? { note: m.note(q.postgres) } : {}) });
    rows.push({ name: base, value: emb, unit: m.unit, samples: m.f(q.embedded), ...(m.note ? { note: m.note(q.embedded) } : {}) });
  }
  const wakeBase = 'long poll woken by a submit, embedded (one board)';
  rows.push(
    { name: 'long poll woken by a submit on the other replica (PostgreSQL)', value: median(q.wakePostgres), unit: 'ms', samples: q.wakePostgres, baseline: wakeBase, ratio: median(q.wakePostgres) / median(q.wakeEmbedded), note: `p90 ${quantile(q.wakePostgres, 0.9).toFixed(1)} ms; from submit() on B to the task in A's waitClaim` },
    { name: wakeBase, value: median(q.wakeEmbedded), unit: 'ms', samples: q.wakeEmbedded },
  );
  return rows;
}

function serveRows(f: Awaited<ReturnType<typeof failover>>, u: Awaited<ReturnType<typeof footprint>>): Row[] {
  const bound = 1.2 * f.leaseMs;
  const boundName = `stated bound: 1.2 × leaderLease (${f.leaseMs / 1000} s)`;
  const mid = median(f.takeovers), max = Math.max(...f.takeovers);
  const rss = (x: Usage) => mib(median(x.rss));
  const embName = `serve RSS at ${thousands(CHECKS)} checks, embedded store`;
  const cpuBase = `serve CPU at ${thousands(CHECKS)} checks, embedded store`;
  const checks = (x: Usage) => `${x.checksPerS?.toFixed(0)} checks/s run`;
  return [
    { name: 'leader failover: SIGKILL to the other replica leading, median', value: mid, unit: 'ms', samples: f.takeovers, baseline: boundName, ratio: mid / bound },
    { name: 'leader failover: SIGKILL to the other replica leading, max', value: max, unit: 'ms', baseline: boundName, ratio: max / bound, note: 'seen by polling /readyz every 25 ms: up to 25 ms and a request later than the change' },
    { name: boundName, value: bound, unit: 'ms' },
    { name: `serve RSS at ${thousands(CHECKS)} checks, PostgreSQL leader`, value: rss(u.leader), unit: 'MiB', samples: u.leader.rss.map(mib), baseline: embName, ratio: rss(u.leader) / rss(u.embedded), note: checks(u.leader) },
    { name: `serve RSS at ${thousands(CHECKS)} checks, PostgreSQL follower`, value: rss(u.follower), unit: 'MiB', samples: u.follower.rss.map(mib), baseline: embName, ratio: rss(u.follower) / rss(u.embedded), note: 'runs no checks; serves the API' },
    { name: embName, value: rss(u.embedded), unit: 'MiB', samples: u.embedded.rss.map(mib), note: checks(u.embedded) },
    { name: `serve CPU at ${thousands(CHECKS)} checks, PostgreSQL leader`, value: u.leader.cpu * 100, unit: '% of a core', baseline: cpuBase, ratio: u.leader.cpu / u.embedded.cpu },
    { name: `serve CPU at ${thousands(CHECKS)} checks, PostgreSQL follower`, value: u.follower.cpu * 100, unit: '% of a core', baseline: cpuBase, ratio: u.follower.cpu / u.embedded.cpu },
    { name: `PostgreSQL server CPU under the two replicas`, value: u.server.cpu * 100, unit: '% of a core', baseline: cpuBase, ratio: u.server.cpu / u.embedded.cpu, note: 'all its processes' },
    { name: cpuBase, value: u.embedded.cpu * 100, unit: '% of a core' },
  ];
}

export const postgres: Benchmark = {
  id: 'postgres',
  title: 'serve on PostgreSQL: task queue, failover, memory per replica',
  description: `One throwaway PostgreSQL server (\`scripts/pg-cluster.mjs\`: a new cluster on loopback, \`fsync\` off, synchronous commits) on the same machine as everything else, a new database per measurement. Three parts. `
    + `**Task queue, ${WORKERS} workers, in process, through the \`TaskQueue\` port.** The same ${thousands(TASKS)} tasks on both stores: priorities drawn uniformly from low/normal/high/critical, capabilities from ${taskCaps.length} sets (as in the \`tasks\` module); submitted up front from ${WORKERS} loops, then ${WORKERS} workers (linux+docker, linux+gpu, linux, all three), each an async loop that claims, reports progress once (claimed → running) and completes until nothing is left it may take, yielding one turn of the event loop per task. `
    + 'Embedded (the baseline): `BoardQueue` over a `TaskBoard` on a `FileJournal` in a temp dir (no fsync), the journal\'s flush at the end inside the timing. '
    + 'PostgreSQL: two `PgTaskQueue`s on one database, each with its own pool (8 connections) and LISTEN connection, as two replicas; tasks submitted and workers registered alternately on each, two workers per replica. '
    + `Both replicas and the ${WORKERS} worker loops share the one JavaScript thread of the bench process (CPU of the bench process and of the server, over the run, are in the notes). `
    + 'Claim latency is the awaited `claim()` call; the notes give the median `progress()` and `complete()` calls. '
    + `${RUNS} runs of each, alternating which store goes first; medians of the runs. `
    + `Long poll: a worker waits in \`waitClaim\` (10 s) on replica A, a task is submitted on replica B (default 1 s fallback poll); the time from the call of \`submit\` to the task in A's hands, ${WAKES} times; baseline the same on one embedded board. `
    + `**Leader failover.** Two \`serve --cron\` replicas (the built CLI, \`dist/cli.js\`) on one database, \`leaderLease: ${LEASE_MS / 1000}s\` (renewal every lease/5), one HTTP check every second. The leader is SIGKILLed ${KILLS} times, at points spread over the renewal period, and restarted after each takeover; the takeover is the time from the kill to the other replica's \`/readyz\` saying \`role: leader\`, polled every 25 ms. Baseline: the documented bound, 1.2 × leaderLease. `
    + `**Memory at ${thousands(CHECKS)} checks.** ${thousands(CHECKS)} HTTP health checks every ${INTERVAL_S} s (${INTERVAL_S} s stagger) against one loopback target in the bench process, as in \`serve-load\`: first one embedded \`serve --cron\` (the baseline), then two replicas on one database (\`leaderLease: 10s\`). After ${WARMUP_S} s from start-up, RSS (VmRSS from /proc/<pid>/status) is sampled every second for ${WINDOW_S} s, and the CPU time (utime + stime from /proc/<pid>/stat) taken over the same window, with the checks run (\`/metrics\`). The PostgreSQL server's CPU is that of the postmaster and all its processes. Ratios are this row ÷ its baseline row.`,
  async run({ log, quick, root }) {
    const cli = join(root, 'dist', 'cli.js');
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build');
    if (newestSource(join(root, 'src')) > statSync(cli).mtimeMs) log('  warning: dist/cli.js is older than src/: the replicas run what was last built (npm run build)');
    const t0 = performance.now();
    const cluster = await startPostgres();
    log(`  PostgreSQL up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const target = await startTarget();
    try {
      const q = await queueParts(cluster, { quick, log });
      const f = await failover({ cli, cluster, target, kills: quick ? 3 : KILLS, leaseMs: LEASE_MS, log });
      const u = await footprint({ cli, cluster, target, checks: CHECKS, intervalS: INTERVAL_S, warmupMs: quick ? 8_000 : WARMUP_S * 1000, windowMs: quick ? 5_000 : WINDOW_S * 1000, log });
      log(`  the target answered ${thousands(target.hits())} requests`);
      return [...queueRows(q), ...serveRows(f, u)];
    } finally {
      await target.close();
      cluster.stop();
    }
  },
};
