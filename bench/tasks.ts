// The task queue with 4 workers, in two parts.
//
// In process: a `TaskBoard` on a `FileJournal` in a temp dir. Tasks of mixed priorities and
// capability sets are submitted, then 4 simulated workers (async loops, each yielding a turn of
// the event loop per task so the journal's writes go out between them) claim, report progress
// (the first report a real worker sends: claimed → running) and complete. Two sizes: 2,000 and
// 20,000 tasks, each drained completely (the board indexes the tasks each worker holds and
// forgets the oldest ended ones in order, so the cost per task does not grow with the board;
// the first cut of this benchmark found claims scanning the whole board). The claim latency is the
// synchronous `claim()` call; slow claims are matched against GC pauses. The same runs with a
// no-op journal are the baseline: the difference is what durability (a JSON line of the whole
// task per change, written once per turn) costs. Memory: the V8 heap held by a board with 20,000
// pending tasks (no-op journal, after a full GC), given per 10,000.
//
// Over HTTP: a real `pluginops serve` child (the sources through tsx) in a temp project with a
// write token and a trivial workflow `job` (`runsOn: [bench]`). 1,000 tasks are submitted through
// POST /api/tasks, then 4 worker loops in this process (plain fetch, kept-alive connections),
// each a registered worker with capability `bench`, claim (long poll, waitMs 1000), report
// progress and complete; they do not run the workflow. Every claim finds a task waiting, and
// records the task's execution on the server (a file, fsynced).
// The baseline, same run, is as many plain GET /healthz round trips from 4 loops: the ratio of
// the wall time per task to the wall time per /healthz is what a task costs in bare HTTP round
// trips. serve's RSS is read from /proc/<pid>/status, its V8 heap in use from /metrics.
import { spawn, type ChildProcess } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/engine/clock.ts';
import { TaskBoard, type BoardJournal, type NewTask } from '../src/tasks/board.ts';
import { FileJournal } from '../src/tasks/journal.ts';
import { priorities } from '../src/tasks/model.ts';
import { metricValue, parseMetrics, quantile } from './serve-world.ts';
import { collectGarbage, median, prng } from './stats.ts';
import type { Benchmark, Row } from './types.ts';

const N = 20_000;
/** Of the N, how many are claimed and completed: all of them. */
const DEEP_DONE = N;
/** Drained completely. */
const SMALL = 2_000;
/** Over HTTP. */
const HTTP_TASKS = 1_000;
const WORKERS = 4;
const TOKEN = 'bench-write-token-0123456789abcdef';
const mib = (b: number) => b / 2 ** 20;
const turn = () => new Promise<void>((r) => setImmediate(r));

/** Capability sets of the tasks; every one is a subset of some worker's (w3 has all). */
const taskCaps: string[][] = [[], ['linux'], ['linux', 'docker'], ['gpu'], ['linux', 'gpu'], ['docker', 'gpu']];
const workerCaps: string[][] = [['linux', 'docker'], ['linux', 'gpu'], ['linux'], ['docker', 'gpu', 'linux']];

function newTasks(n: number, seed: number): NewTask[] {
  const r = prng(seed);
  return Array.from({ length: n }, (_, i) => ({
    type: 'job', priority: priorities[Math.floor(r() * priorities.length)]!, data: { n: i },
    capabilities: taskCaps[Math.floor(r() * taskCaps.length)]!, work: { kind: 'workflow', workflow: 'job' },
  }));
}

const noJournal: BoardJournal = { putTask() { /* nothing */ }, putWorker() { /* nothing */ } };

interface InProcessRun {
  n: number; done: number; submitMs: number; runMs: number; claims: number[]; journalBytes: number;
  /** Of the claims slower than the run's p99, how many overlapped a garbage collection. */
  slowInGc: number; slow: number;
  /** Garbage collections during the run, and their time. */
  gcs: number; gcMs: number;
}

/**
 * Submits `n` tasks, then 4 worker loops claim → progress → complete until `limit` tasks are done
 * (all of them when `limit` is `n`); the journal's flush at the end is inside the timing.
 */
async function inProcess(durable: boolean, n: number, limit: number, seed: number): Promise<InProcessRun> {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-bench-tasks-'));
  try {
    const path = join(dir, 'tasks.jsonl');
    const file = durable ? (await FileJournal.open(path)).journal : undefined;
    const board = new TaskBoard({ clock: systemClock }, file ?? noJournal);
    const input = newTasks(n, seed);
    const ids = workerCaps.map((capabilities, i) => board.register({ name: `w${i}`, capabilities }).id);
    collectGarbage();
    let t = performance.now();
    for (const x of input) board.submit(x);
    await file?.flush();
    const submitMs = performance.now() - t;
    collectGarbage();
    const claims: number[] = [], claimAt: number[] = [];
    const gcs: Array<[number, number]> = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcs.push([e.startTime, e.startTime + e.duration]); });
    observer.observe({ entryTypes: ['gc'] });
    let done = 0;
    const loop = async (id: string) => {
      while (done < limit) {
        const c0 = performance.now();
        const task = board.claim(id);
        const c1 = performance.now();
        if (!task) return; // everything was submitted up front: nothing left this worker can take
        claims.push(c1 - c0);
        claimAt.push(c0);
        board.progress(task.id, id, task.claim!, []);
        board.complete(task.id, id, task.claim!, { status: 'succeeded' });
        done++;
        await turn();
      }
    };
    t = performance.now();
    await Promise.all(ids.map(loop));
    await file?.flush();
    const runMs = performance.now() - t;
    await turn(); // the observer's last entries
    observer.disconnect();
    const p99 = quantile(claims, 0.99);
    let slow = 0, slowInGc = 0;
    for (const [i, c] of claims.entries()) {
      if (c <= p99) continue;
      slow++;
      const a = claimAt[i]!, b = a + c;
      if (gcs.some(([x, y]) => x < b && y > a)) slowInGc++;
    }
    if (done !== limit) throw new Error(`${done} of ${limit} tasks completed`);
    await file?.close();
    return { n, done, submitMs, runMs, claims, journalBytes: file ? statSync(path).size : 0, slow, slowInGc, gcs: gcs.length, gcMs: gcs.reduce((a, [x, y]) => a + y - x, 0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The V8 heap a board holds for N pending tasks (no-op journal), after a full GC: the board and what the tasks hold. */
function pendingHeap(seed: number): number {
  collectGarbage();
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const board = new TaskBoard({ clock: systemClock }, noJournal);
  // Made one at a time, so that what a task holds of its input (data, work) is counted and nothing else.
  for (let i = 0; i < N; i++) board.submit(newTasks(1, seed + i)[0]!);
  collectGarbage();
  collectGarbage();
  const held = process.memoryUsage().heapUsed - before;
  if (board.stats().pendingTasks !== N) throw new Error('tasks went missing');
  return held;
}

// ——— over HTTP ———

interface Serve { child: ChildProcess; url: string; stderr(): string }

function startServe(root: string, dir: string): Promise<Serve> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'src', 'cli', 'index.ts'), 'serve', '--port', '0', '--host', '127.0.0.1', '--log', 'json'], {
    cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, BENCH_WRITE: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err = (err + c.toString()).slice(-4000); });
  return new Promise<Serve>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`serve did not listen within 60 s: ${err}`)), 60_000);
    const onData = (c: Buffer) => {
      buf += c.toString();
      const m = /"msg":"listening on (http:\/\/[\d.:]+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // its log lines (a few per task) are read and dropped
        resolve({ child, url: m[1]!, stderr: () => err });
      }
      if (buf.length > 1e6) buf = buf.slice(-1e5);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code} before listening: ${err}`)); });
  });
}

async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-bench-tasks-serve-'));
  writeFileSync(join(dir, 'pluginops.yml'), ['apiVersion: pluginops/v1', 'kind: Project',
    'server:', '  tokens:', '    - { name: bench, token: { env: BENCH_WRITE }, scopes: [read, write] }', ''].join('\n'));
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pipelines', 'job.yml'), ['apiVersion: pluginops/v1', 'kind: Workflow', 'metadata: { id: job }', 'spec:',
    '  runsOn: [bench]', '  steps:', '    - id: work', '      run: "true"', ''].join('\n'));
  return dir;
}

interface HttpRun {
  healthzMs: number; healthz: number[];
  submitMs: number; runMs: number; claims: number[]; progress: number[]; completes: number[];
  rssStart: number; rssEnd: number;
  /** V8 heap in use (serve's /metrics), at the same two moments. */
  heapStart: number; heapEnd: number;
}

async function overHttp(root: string, log: (m: string) => void): Promise<HttpRun> {
  const dir = project();
  let serve: Serve | undefined;
  try {
    const t0 = performance.now();
    serve = await startServe(root, dir);
    const { url, child } = serve;
    log(`  serve listening on ${url} after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown, signal?: AbortSignal): Promise<any> => {
      const r = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
      const j = await r.json() as any;
      if (r.status >= 300) throw new Error(`POST ${path} answered ${r.status}: ${JSON.stringify(j).slice(0, 300)}`);
      return j.data;
    };
    const heapUsed = async () => metricValue(parseMetrics(await (await fetch(`${url}/metrics`)).text()), 'process_heap_used_bytes');
    const healthz = async () => {
      const r = await fetch(`${url}/healthz`);
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`/healthz answered ${r.status}`);
    };
    /** `count` calls of `fn` spread over 4 sequential loops; each call's round trip, and the wall time. */
    const loops = async (count: number, fn: (i: number) => Promise<unknown>) => {
      const each: number[] = [];
      let next = 0;
      const t = performance.now();
      await Promise.all(Array.from({ length: WORKERS }, async () => {
        while (next < count) {
          const i = next++;
          const a = performance.now();
          await fn(i);
          each.push(performance.now() - a);
        }
      }));
      return { each, ms: performance.now() - t };
    };

    await loops(200, healthz); // warm-up: connections and the server's JIT
    const h = await loops(HTTP_TASKS, healthz);
    const rssStart = rssOf(child.pid!);
    const heapStart = await heapUsed();

    const sub = await loops(HTTP_TASKS, (i) => post('/api/tasks', { type: 'job', priority: priorities[i % priorities.length] }));
    log(`  ${HTTP_TASKS} tasks submitted in ${(sub.ms / 1000).toFixed(2)} s`);
    const ids: string[] = [];
    for (let i = 0; i < WORKERS; i++) ids.push((await post('/api/workers', { name: `bench-${i}`, capabilities: ['bench'], concurrency: 1 })).worker.id);

    const claims: number[] = [], progress: number[] = [], completes: number[] = [];
    let done = 0;
    const stop = new AbortController();
    const t = performance.now();
    let runMs = 0;
    await Promise.all(ids.map(async (id) => {
      while (!stop.signal.aborted) {
        const a = performance.now();
        let task: { id: string; claim: string } | null;
        try {
          task = await post(`/api/workers/${id}/claim`, { waitMs: 1000 }, stop.signal);
        } catch (e) {
          if (stop.signal.aborted) return;
          throw e;
        }
        const b = performance.now();
        if (!task) return;
        claims.push(b - a);
        await post(`/api/tasks/${task.id}/progress`, { claim: task.claim, worker: id, events: [] });
        const c = performance.now();
        progress.push(c - b);
        await post(`/api/tasks/${task.id}/complete`, { claim: task.claim, worker: id, status: 'succeeded' });
        completes.push(performance.now() - c);
        if (++done === HTTP_TASKS) { runMs = performance.now() - t; stop.abort(); }
      }
    }));
    if (done !== HTTP_TASKS) throw new Error(`${done} of ${HTTP_TASKS} tasks completed over HTTP`);
    const rssEnd = rssOf(child.pid!);
    const heapEnd = await heapUsed();
    return { healthzMs: h.ms, healthz: h.each, submitMs: sub.ms, runMs, claims, progress, completes, rssStart, rssEnd, heapStart, heapEnd };
  } catch (e) {
    if (serve) throw new Error(`${(e as Error).message}; serve's stderr: ${serve.stderr().slice(-1000)}`);
    throw e;
  } finally {
    if (serve) await stopServe(serve.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (x: number) => `${x.toFixed(x < 1 ? 3 : 1)} ms`;
const thousands = (x: number) => x.toLocaleString('en');

export const tasks: Benchmark = {
  id: 'tasks',
  title: 'Tasks and workers (issue: workers and tasks)',
  description: `Two parts, ${WORKERS} workers each. **In process:** a \`TaskBoard\` (default options: lease 30 s, 10,000 ended tasks kept) on a \`FileJournal\` in a temp dir; tasks submitted up front, priorities drawn uniformly from low/normal/high/critical and capabilities from ${taskCaps.length} sets (none, linux, linux+docker, gpu, linux+gpu, docker+gpu); ${WORKERS} workers (linux+docker, linux+gpu, linux, all three) as async loops that claim, report progress once (claimed → running, as a real worker's first report) and complete, yielding one turn of the event loop per task; the journal's flush at the end is inside the timing. Claim latency is the synchronous \`claim()\` call; a claim above its run's p99 is matched against the GC pauses seen by a \`PerformanceObserver\`. `
    + `Two sizes: ${thousands(SMALL)} and ${thousands(N)} tasks, each drained completely. `
    + 'Baseline, same run: the same with a no-op journal, so the ratio is the cost of durability (a JSON line of the whole task per change, written once per turn, no fsync). '
    + `Memory: V8 heap used after a full GC with ${thousands(N)} pending tasks on a board (no-op journal), minus before, given per 10,000. `
    + `**Over HTTP:** a real \`pluginops serve\` (the sources through tsx, \`--log json\`) in a temp project with a write token and a workflow \`job\` (\`runsOn: [bench]\`, one \`run: "true"\` step); ${thousands(HTTP_TASKS)} tasks submitted through POST /api/tasks from ${WORKERS} loops, then ${WORKERS} registered workers with capability \`bench\`, one loop each in the bench process (plain fetch, kept-alive connections): POST claim (waitMs 1000) → POST progress → POST complete until all are done; they do not run the workflow (serve still records an execution per claimed task). Every claim finds a task waiting; its latency is the round trip, which includes waiting behind the other loops' requests in serve. `
    + `Baseline, same run, before the tasks: ${thousands(HTTP_TASKS)} plain GET /healthz round trips from ${WORKERS} loops; "wall time per task" ÷ "wall time per /healthz request" is what a task costs in bare HTTP round trips. RSS of serve from /proc/<pid>/status after the /healthz rounds and after the last task. Both processes share the machine's cores. Ratios are this row ÷ its baseline row.`,
  async run({ log, quick, root }) {
    const smallRuns = quick ? 1 : 2;
    const deepDone = quick ? 200 : DEEP_DONE;
    const show = (label: string, run: InProcessRun) => log(`  ${label}: submit ${thousands(run.n)} in ${(run.submitMs / 1000).toFixed(2)} s, ${thousands(run.done)} done in ${(run.runMs / 1000).toFixed(2)} s (${Math.round(run.done / (run.runMs / 1000))} tasks/s), claim p50 ${ms(quantile(run.claims, 0.5))} p99 ${ms(quantile(run.claims, 0.99))} max ${ms(Math.max(...run.claims))} (${run.slowInGc} of ${run.slow} above p99 in a GC; ${run.gcs} GCs, ${run.gcMs.toFixed(0)} ms)${run.journalBytes ? `, journal ${mib(run.journalBytes).toFixed(1)} MiB` : ''}`);
    const deep = { file: [] as InProcessRun[], none: [] as InProcessRun[] };
    const small = { file: [] as InProcessRun[], none: [] as InProcessRun[] };
    // Alternating, so that neither variant always runs on a warmer JIT.
    for (let r = 0; r < smallRuns; r++) {
      for (const durable of r % 2 === 0 ? [false, true] : [true, false]) {
        const run = await inProcess(durable, SMALL, SMALL, 7 + r);
        (durable ? small.file : small.none).push(run);
        show(`${thousands(SMALL)} drained, ${durable ? 'FileJournal' : 'no-op journal'} ${r + 1}/${smallRuns}`, run);
      }
    }
    for (const durable of [false, true]) {
      const run = await inProcess(durable, N, deepDone, 17);
      (durable ? deep.file : deep.none).push(run);
      show(`${thousands(N)} deep, ${durable ? 'FileJournal' : 'no-op journal'}`, run);
    }
    const heaps = Array.from({ length: quick ? 1 : 2 }, (_, r) => pendingHeap(99 + r));
    log(`  heap held by ${N} pending tasks: ${heaps.map((b) => `${mib(b).toFixed(1)} MiB`).join(', ')}`);

    const http = await overHttp(root, log);
    log(`  over HTTP: ${HTTP_TASKS} tasks in ${(http.runMs / 1000).toFixed(2)} s; claim p50 ${ms(quantile(http.claims, 0.5))} p99 ${ms(quantile(http.claims, 0.99))}; /healthz ×${HTTP_TASKS} in ${(http.healthzMs / 1000).toFixed(2)} s; RSS ${mib(http.rssStart).toFixed(0)} → ${mib(http.rssEnd).toFixed(0)} MiB, heap in use ${mib(http.heapStart).toFixed(0)} → ${mib(http.heapEnd).toFixed(0)} MiB`);

    const tput = (xs: InProcessRun[]) => xs.map((x) => x.done / (x.runMs / 1000));
    const q = (xs: InProcessRun[], p: number) => xs.map((x) => quantile(x.claims, p));
    const maxClaim = (xs: InProcessRun[]) => ms(median(xs.map((x) => Math.max(...x.claims))));
    const perTask = (xs: InProcessRun[]) => `${(1e6 / median(tput(xs))).toFixed(0)} µs per task (claim + progress + complete)`;
    const journal = (xs: InProcessRun[]) => `; journal ${mib(median(xs.map((x) => x.journalBytes))).toFixed(1)} MiB (submit, claim, progress, complete lines of the whole task, and the worker's)`;
    const inGc = (xs: InProcessRun[]) => `; of the claims above p99, ${xs.reduce((a, x) => a + x.slowInGc, 0)} of ${xs.reduce((a, x) => a + x.slow, 0)} overlapped a GC`;
    /** Throughput and claim p50/p99 of one size, FileJournal rows against no-op rows. */
    const part = (label: string, s: { file: InProcessRun[]; none: InProcessRun[] }): Row[] => {
      const base = (what: string) => `${label}, no-op journal: ${what}`;
      const row = (what: string, xs: InProcessRun[], unit: string, f: (xs: InProcessRun[]) => number[], durable: boolean, note?: string): Row => ({
        name: `${label}, ${durable ? 'FileJournal' : 'no-op journal'}: ${what}`, value: median(f(xs)), unit, samples: f(xs),
        ...(durable ? { baseline: base(what), ratio: median(f(xs)) / median(f(s.none)) } : {}), ...(note ? { note } : {}),
      });
      return [
        row('throughput', s.file, 'tasks/s', tput, true, perTask(s.file) + journal(s.file)),
        row('claim() p50', s.file, 'ms', (xs) => q(xs, 0.5), true),
        row('claim() p99', s.file, 'ms', (xs) => q(xs, 0.99), true, `max ${maxClaim(s.file)}${inGc(s.file)}`),
        row('throughput', s.none, 'tasks/s', tput, false, perTask(s.none)),
        row('claim() p50', s.none, 'ms', (xs) => q(xs, 0.5), false),
        row('claim() p99', s.none, 'ms', (xs) => q(xs, 0.99), false, `max ${maxClaim(s.none)}${inGc(s.none)}`),
      ];
    };
    const submit = (xs: InProcessRun[]) => xs.map((x) => (x.submitMs * 1000) / x.n);
    const httpTput = HTTP_TASKS / (http.runMs / 1000);
    const taskMs = http.runMs / HTTP_TASKS, hzMs = http.healthzMs / HTTP_TASKS;
    const c50 = quantile(http.claims, 0.5), c99 = quantile(http.claims, 0.99);
    const h50 = quantile(http.healthz, 0.5), h99 = quantile(http.healthz, 0.99);
    const slowest = [...http.claims].sort((a, b) => b - a).slice(0, 3).map((x) => x.toFixed(0)).join(', ');
    const names = {
      submitNone: `submit() of ${thousands(N)}, no-op journal`,
      healthzPer: `GET /healthz, ${WORKERS} loops: wall time per request`,
      healthzP50: 'GET /healthz round trip p50',
      healthzP99: 'GET /healthz round trip p99',
    };
    const rows: Row[] = [
      ...part(`${thousands(SMALL)} tasks drained`, small),
      ...part(deepDone === N ? `${thousands(N)} tasks drained` : `${thousands(N)} submitted, first ${thousands(deepDone)} done`, deep),
      { name: `submit() of ${thousands(N)}, FileJournal`, value: median(submit(deep.file)), unit: 'µs/task', baseline: names.submitNone, ratio: median(submit(deep.file)) / median(submit(deep.none)), note: 'flush included' },
      { name: names.submitNone, value: median(submit(deep.none)), unit: 'µs/task' },
      { name: 'heap held per 10,000 pending tasks', value: mib(median(heaps)) * (10_000 / N), unit: 'MiB', samples: heaps.map((b) => mib(b) * (10_000 / N)), note: `${Math.round(median(heaps) / N)} bytes per task; measured with ${thousands(N)}` },
      { name: `over HTTP: throughput (${thousands(HTTP_TASKS)} tasks, ${WORKERS} worker loops)`, value: httpTput, unit: 'tasks/s', note: `3 requests per task (claim, progress, complete); progress p50 ${ms(quantile(http.progress, 0.5))}, complete p50 ${ms(quantile(http.completes, 0.5))}` },
      { name: 'over HTTP: wall time per task', value: taskMs, unit: 'ms', baseline: names.healthzPer, ratio: taskMs / hzMs, note: 'the ratio: a task in /healthz round trips' },
      { name: 'over HTTP: claim round trip p50 (a task waiting)', value: c50, unit: 'ms', baseline: names.healthzP50, ratio: c50 / h50 },
      { name: 'over HTTP: claim round trip p99 (a task waiting)', value: c99, unit: 'ms', baseline: names.healthzP99, ratio: c99 / h99, note: `slowest ${slowest} ms` },
      { name: 'over HTTP: POST /api/tasks', value: http.submitMs / HTTP_TASKS, unit: 'ms/task', note: `${WORKERS} loops; ${Math.round(HTTP_TASKS / (http.submitMs / 1000))} tasks/s` },
      { name: names.healthzPer, value: hzMs, unit: 'ms', note: `${Math.round(HTTP_TASKS / (http.healthzMs / 1000))} requests/s` },
      { name: names.healthzP50, value: h50, unit: 'ms' },
      { name: names.healthzP99, value: h99, unit: 'ms' },
      { name: 'serve RSS after the /healthz rounds (before any task)', value: mib(http.rssStart), unit: 'MiB', note: `V8 heap in use ${mib(http.heapStart).toFixed(0)} MiB (/metrics)` },
      { name: `serve RSS after ${thousands(HTTP_TASKS)} tasks`, value: mib(http.rssEnd), unit: 'MiB', note: `VmRSS from /proc/<pid>/status; V8 heap in use ${mib(http.heapEnd).toFixed(0)} MiB (/metrics, not after a GC)` },
    ];
    return rows;
  },
};
