// `tasks.jsonl`, the embedded journal of tasks and workers, as the transfer reads it: which line
// is a task or a worker (as tasks/journal.ts accepts them), each id as its last line says, and
// the ids it holds. Every read is a stream over the file; memory holds ids, never tasks.
import { taskStates, type Task, type Worker } from '../../tasks/model.ts';
import { jsonLines } from './store-lines.ts';

type JournalLine = { task: Task; sealed?: unknown } | { worker: Worker };

const states: ReadonlySet<unknown> = new Set(taskStates);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isTaskLine = (v: Record<string, unknown>): v is { task: Task; sealed?: unknown } => {
  const t = v.task;
  return isObject(t) && typeof t.id === 'string' && states.has(t.state) && typeof t.version === 'number' && isObject(t.work) && Array.isArray(t.history);
};

/** A line of tasks.jsonl as the journal accepts it (tasks/journal.ts): a task, else a worker. */
function isJournalLine(v: unknown): v is JournalLine {
  if (!isObject(v)) return false;
  if (isTaskLine(v)) return true;
  const w = v.worker;
  return isObject(w) && typeof w.id === 'string' && typeof w.name === 'string' && Array.isArray(w.capabilities);
}

/**
 * The tasks (or workers) of the journal, each as its last line says. Two passes: the first keeps
 * only where each id's last line is, the second yields those lines, so memory holds ids, not tasks.
 */
export function journalEntries(path: string, kind: 'task'): AsyncGenerator<{ task: Task; sealed?: unknown }>;
export function journalEntries(path: string, kind: 'worker'): AsyncGenerator<Worker>;
export async function* journalEntries(path: string, kind: 'task' | 'worker'): AsyncGenerator<{ task: Task; sealed?: unknown } | Worker> {
  const last = new Map<string, number>();
  for await (const { value, line } of jsonLines(path, isJournalLine)) {
    const task = isTaskLine(value);
    if (kind === 'task' && task) last.set(value.task.id, line);
    if (kind === 'worker' && !task) last.set((value as { worker: Worker }).worker.id, line);
  }
  if (last.size === 0) return;
  const wanted = new Set(last.values());
  for await (const { value, line } of jsonLines(path, isJournalLine)) {
    if (!wanted.has(line)) continue;
    if (isTaskLine(value)) yield value.sealed === undefined ? { task: value.task } : { task: value.task, sealed: value.sealed };
    else yield (value as { worker: Worker }).worker;
  }
}

/** The ids of the tasks and of the workers the journal at `path` holds (none when there is no journal). */
export async function journalIds(path: string): Promise<{ tasks: Set<string>; workers: Set<string> }> {
  const ids = { tasks: new Set<string>(), workers: new Set<string>() };
  for await (const { value } of jsonLines(path, isJournalLine)) {
    if (isTaskLine(value)) ids.tasks.add(value.task.id);
    else ids.workers.add((value as { worker: Worker }).worker.id);
  }
  return ids;
}
