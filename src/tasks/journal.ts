// The embedded store of tasks and workers: `<storeDir>/tasks.jsonl`, append-only, one whole task
// or worker a line after each change (`{"task":…}` or `{"worker":…}`). `serve` is its only writer
// (workers and the CLI reach the board through the API), so it is read once on start. Reading keeps
// the last line of each id; a torn line (no newline, not JSON) is skipped. Lines are written in
// batches, once per turn of the event loop, and reach the operating system before the answer that
// reported the change leaves (no fsync per line: a machine crash may lose the last moments; a
// process crash does not). When the file has grown past `compactAtBytes`, opening rewrites it
// with one line per task and worker kept.
//
// Opening after a restart: the steps of executions that were running are cancelled (the run that
// sent them ended with the server); tasks a worker held keep their lease, so a worker that comes
// back in time reports them as if nothing happened.
import { readFile, stat } from 'node:fs/promises';
import { AppendLog, replaceFile } from '../store/append-log.ts';
import { insideRoot } from '../store/paths.ts';
import type { BoardJournal } from './board.ts';
import { finalTaskStates, taskStates, type Task, type Worker } from './model.ts';

export const journalName = 'tasks.jsonl';
export const journalPath = (storeDir: string): string => insideRoot(storeDir, journalName);
const defaultCompactAtBytes = 16 * 1024 * 1024;

export interface Restored { tasks: Task[]; workers: Worker[]; skipped: number }

/**
 * How a task is kept on disk without its secrets: `protect` gives what is written (masked) and
 * what is needed to rebuild its data (`sealed`, naming environment variables, never values);
 * `restore` rebuilds it on open. Without them, tasks are written as they are.
 */
export interface Protection {
  protect(task: Task): { task: Task; sealed?: unknown };
  restore(task: Task, sealed: unknown): Task;
}

export class FileJournal implements BoardJournal {
  readonly #log: AppendLog;
  #protection: Protection | undefined;
  #lines: string[] = [];
  #writing: Promise<void> = Promise.resolve();
  #failure: unknown;
  #scheduled = false;

  private constructor(log: AppendLog, protection?: Protection) { this.#log = log; this.#protection = protection; }

  static async open(path: string, o: { compactAtBytes?: number; keepEnded?: number; now?: number; warn?: (line: string) => void; protection?: Protection } = {}): Promise<{ journal: FileJournal; restored: Restored }> {
    const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return ''; throw e; });
    const tasks = new Map<string, Task>();
    const workers = new Map<string, Worker>();
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const v = parse(line);
      if (!v) { skipped++; continue; }
      if ('task' in v) {
        const task = o.protection && v.sealed !== undefined ? o.protection.restore(v.task, v.sealed) : v.task;
        tasks.delete(task.id);
        tasks.set(task.id, task);
      } else { workers.delete(v.worker.id); workers.set(v.worker.id, v.worker); }
    }
    if (skipped) o.warn?.(`${path}: ${skipped} line${skipped === 1 ? '' : 's'} that are no task or worker skipped (a torn write?)`);
    const keepEnded = o.keepEnded ?? 10_000;
    const ended = [...tasks.values()].filter((t) => finalTaskStates.has(t.state));
    for (const t of ended.slice(0, Math.max(0, ended.length - keepEnded))) tasks.delete(t.id);
    const size = (await stat(path).catch(() => undefined))?.size ?? 0;
    if (size > (o.compactAtBytes ?? defaultCompactAtBytes)) {
      const taskLine = (t: Task) => (o.protection ? protectedLine(o.protection, t) : JSON.stringify({ task: t }));
      await replaceFile(path, [...[...workers.values()].map((w) => JSON.stringify({ worker: w })), ...[...tasks.values()].map(taskLine)].map((x) => `${x}\n`).join(''));
    }
    const journal = new FileJournal(await AppendLog.open(path, 'any'), o.protection);
    // The steps of executions that were running ended with the process that ran them.
    const now = new Date(o.now ?? Date.now()).toISOString();
    for (const t of tasks.values()) {
      if (t.work.kind === 'step' && !finalTaskStates.has(t.state)) {
        const message = `the execution ${t.work.execution} that sent it ended when the server stopped`;
        Object.assign(t, { state: 'cancelled', endedAt: now, updatedAt: now, version: t.version + 1, result: { error: message } });
        delete t.claim; delete t.leaseUntil;
        t.history.push({ at: now, state: 'cancelled', message });
        journal.putTask(t);
      }
    }
    return { journal, restored: { tasks: [...tasks.values()], workers: [...workers.values()], skipped } };
  }

  putTask(task: Task): void { this.#put(this.#protection ? protectedLine(this.#protection, task) : JSON.stringify({ task })); }
  putWorker(worker: Worker): void { this.#put(JSON.stringify({ worker })); }

  #put(line: string): void {
    this.#lines.push(`${line}\n`);
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      const lines = this.#lines.splice(0);
      this.#writing = this.#writing.then(() => this.#log.append(lines)).catch((e: unknown) => { this.#failure ??= e; });
    });
  }

  /** Resolves when every line so far is written; rejects with the first failed write. */
  async flush(): Promise<void> {
    await new Promise<void>((ok) => queueMicrotask(ok));
    await this.#writing;
    if (this.#failure) throw this.#failure;
  }

  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
    await this.#log.sync().catch(() => undefined);
    await this.#log.close();
  }
}

const states: ReadonlySet<string> = new Set(taskStates);

function protectedLine(p: Protection, t: Task): string {
  const { task, sealed } = p.protect(t);
  return JSON.stringify(sealed === undefined ? { task } : { task, sealed });
}

function parse(line: string): { task: Task; sealed?: unknown } | { worker: Worker } | undefined {
  try {
    const v = JSON.parse(line) as { task?: Partial<Task>; sealed?: unknown; worker?: Partial<Worker> } | null;
    if (!v || typeof v !== 'object') return undefined;
    const t = v.task;
    if (t && typeof t.id === 'string' && states.has(t.state as string) && typeof t.version === 'number' && t.work && Array.isArray(t.history)) return { task: t as Task, ...(v.sealed !== undefined ? { sealed: v.sealed } : {}) };
    const w = v.worker;
    if (w && typeof w.id === 'string' && typeof w.name === 'string' && Array.isArray(w.capabilities)) return { worker: w as Worker };
    return undefined;
  } catch {
    return undefined;
  }
}
