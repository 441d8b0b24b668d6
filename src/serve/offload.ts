// Checking document bodies off the event loop. `serve` hands each body to one worker thread
// (started on first use, with a bounded heap), so /healthz, the scheduler and Slack keep their
// turn while a large or hostile body is parsed. A check that runs past `timeoutMs` or out of
// memory ends the worker: the bodies it held are refused, the next body starts a new one.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { BodyJob, BodyVerdict } from '../api/workflows/check-body.ts';
import type { DocumentChecker } from '../api/workflows/checker.ts';

export interface WorkerCheckerOptions {
  /** Longest one check may take (default 10 s). */
  timeoutMs?: number;
  /** The worker's old-generation heap, in MiB (default 256). */
  heapMb?: number;
}

/**
 * The bundle runs dist/parse-worker.js beside dist/cli.js. Sources run through tsx, whose loader a
 * worker does not inherit: the worker registers it, then imports the .ts worker beside this file.
 */
function newWorker(options: WorkerOptions): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', import.meta.url), options);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./parse-worker.ts', import.meta.url).href);
  return new Worker(`import(${tsx}).then((t) => { t.register(); return import(${entry}); });`, { ...options, eval: true });
}

const refusal = (message: string): BodyVerdict =>
  ({ ok: false, problem: 'invalid', message, details: [{ line: 1, col: 1, code: 'E_TOO_LARGE', message }] });

interface Pending { job: BodyJob; resolve: (v: BodyVerdict) => void; timer?: NodeJS.Timeout }

type Message = { ready: true } | { seq: number; verdict: BodyVerdict };

export function workerChecker(o: WorkerCheckerOptions = {}): DocumentChecker {
  const timeoutMs = o.timeoutMs ?? 10_000;
  let worker: { thread: Worker; ready: boolean } | undefined;
  const pending = new Map<number, Pending>();
  let seq = 0;

  const fail = (w: Worker, why: string) => {
    if (worker?.thread !== w) return;
    worker = undefined;
    for (const p of pending.values()) { clearTimeout(p.timer); p.resolve(refusal(why)); }
    pending.clear();
    void w.terminate();
  };

  /** Hands a job to the ready worker; its time starts now (loading the worker is not counted). */
  const send = (w: Worker, n: number, p: Pending) => {
    p.timer = setTimeout(() => fail(w, `checking the document took longer than ${timeoutMs / 1000} s; expected a smaller document`), timeoutMs);
    w.postMessage({ seq: n, job: p.job });
  };

  const start = (): { thread: Worker; ready: boolean } => {
    const thread = newWorker({ resourceLimits: { maxOldGenerationSizeMb: o.heapMb ?? 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 } });
    const state = { thread, ready: false };
    thread.unref();
    thread.on('message', (m: Message) => {
      if ('ready' in m) { state.ready = true; for (const [n, p] of pending) send(thread, n, p); return; }
      const p = pending.get(m.seq);
      if (!p) return;
      pending.delete(m.seq);
      clearTimeout(p.timer);
      p.resolve(m.verdict);
    });
    thread.on('error', (e: Error & { code?: string }) => fail(thread, e.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? 'checking the document needed more memory than allowed; expected a smaller document'
      : `the document could not be checked: ${e.message}`));
    thread.on('exit', () => fail(thread, 'the document could not be checked: the checker stopped'));
    return state;
  };

  return {
    check(job) {
      const w = worker ??= start();
      return new Promise<BodyVerdict>((resolve) => {
        const n = seq++;
        const p: Pending = { job, resolve };
        pending.set(n, p);
        if (w.ready) send(w.thread, n, p);
      });
    },
    async close() {
      const w = worker;
      if (!w) return;
      fail(w.thread, 'the server is stopping');
      await w.thread.terminate();
    },
  };
}
