// How tasks and workers read in a terminal: a table of workers, one line per task in lists, and a
// block for `show` with the task's history. Text from outside (names, error messages, history
// lines) cannot move the cursor or clear the screen: control characters are shown as `?`.
import type { Task, WorkerView } from '../../tasks/model.ts';

/** A task as the API shows it: without its claim, and `unroutable` when no online worker can take it. */
export type ShownTask = Omit<Task, 'claim'> & { unroutable?: boolean };

export const safe = (text: string): string => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');

/** Columns padded to their widest cell; the last column is not padded. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`).join('');
}

/** `12s ago`, `5m ago`, `3h ago`, or the time itself when it is days ago (or in the future). */
export function ago(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  if (ms < 0 || ms >= 48 * 3_600_000) return iso.replace(/\.\d{3}Z$/, 'Z');
  if (ms < 60_000) return `${Math.floor(ms / 1000)}s ago`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m ago`;
  return `${Math.floor(ms / 3_600_000)}h ago`;
}

const caps = (list: readonly string[]): string => (list.length ? list.map(safe).join(',') : '-');

export function workersTable(ws: readonly WorkerView[], now: number): string {
  if (ws.length === 0) return 'no workers\n';
  return table([
    ['NAME', 'STATE', 'CAPABILITIES', 'TASKS', 'DONE/FAILED', 'LAST SEEN'],
    ...ws.map((w) => [safe(w.name), w.state, caps(w.capabilities), `${w.tasks.length}/${w.concurrency}`, `${w.completed}/${w.failed}`, ago(w.lastSeen, now)]),
  ]);
}

export function workerText(w: WorkerView, tasks: readonly ShownTask[], now: number): string {
  const out = [
    `worker ${safe(w.name)}`,
    `  id           ${w.id}`,
    `  state        ${w.state}${w.state === 'draining' ? ' (takes no new tasks; those it holds run to their end)' : ''}`,
    `  capabilities ${w.capabilities.length ? w.capabilities.map(safe).join(', ') : 'none'}`,
    `  concurrency  ${w.concurrency}`,
    ...(w.type ? [`  type         ${safe(w.type)}`] : []),
    ...(w.host || w.pid !== undefined ? [`  host         ${safe(w.host ?? '?')}${w.pid !== undefined ? ` (pid ${w.pid})` : ''}`] : []),
    ...(w.version ? [`  version      ${safe(w.version)}`] : []),
    `  registered   ${w.registeredAt}`,
    `  last seen    ${w.lastSeen} (${ago(w.lastSeen, now)})`,
    ...(w.offlineAt ? [`  offline      since ${w.offlineAt}`] : []),
    `  completed    ${w.completed}, failed ${w.failed}`,
    '',
    `holds ${w.tasks.length} task${w.tasks.length === 1 ? '' : 's'}`,
    ...w.tasks.map((id) => {
      const t = tasks.find((x) => x.id === id);
      return t ? `  ${taskLine(t, now).trimEnd()}` : `  ${id}`;
    }),
  ];
  const recent = tasks.filter((t) => !w.tasks.includes(t.id));
  if (recent.length) out.push('', 'recent tasks', ...recent.map((t) => `  ${taskLine(t, now).trimEnd()}`));
  return `${out.join('\n')}\n`;
}

/** What a task runs: the workflow, or the step of an execution. */
const workOf = (t: ShownTask): string =>
  t.work.kind === 'workflow' ? safe(t.work.workflow) : `step ${safe(t.work.step.id)} of ${t.work.execution}`;

/** Why a pending task is not taken, said plainly. */
export function waits(t: ShownTask): string | undefined {
  if (!t.unroutable) return undefined;
  return t.capabilities.length ? `waits: no online worker has ${t.capabilities.map(safe).join(', ')}` : 'waits: no online worker is connected';
}

export function tasksTable(ts: readonly ShownTask[], now: number, total?: number): string {
  if (ts.length === 0) return 'no tasks\n';
  const rows = table([
    ['ID', 'STATE', 'PRIORITY', 'TYPE', 'ATTEMPTS', 'WORKER', 'CREATED'],
    ...ts.map((t) => [t.id, t.state, t.priority, safe(t.type), `${t.attempts}/${t.maxAttempts}`, safe(t.workerName ?? t.worker ?? '-'), `${ago(t.createdAt, now)}${t.unroutable ? ' (unroutable)' : ''}`]),
  ]);
  return total !== undefined && total > ts.length ? `${rows}${ts.length} of ${total} tasks; --limit shows more\n` : rows;
}

export function taskLine(t: ShownTask, now: number): string {
  const work = workOf(t);
  return `${t.id}  ${t.state.padEnd(13)} ${t.priority.padEnd(8)} ${safe(t.type)}${work === safe(t.type) ? '' : ` (${work})`} attempt ${t.attempts}/${t.maxAttempts}, changed ${ago(t.updatedAt, now)}\n`;
}

export function taskText(t: ShownTask, now: number): string {
  const r = t.result;
  const out = [
    `task ${t.id}`,
    `  type         ${safe(t.type)}`,
    `  runs         ${workOf(t)}${t.work.plugin ? ` (plugin ${safe(t.work.plugin)})` : ''}`,
    `  state        ${t.state}${t.cancelRequested ? ' (cancel asked: its worker stops it at its next heartbeat)' : ''}`,
    ...(waits(t) ? [`  ${waits(t)}`] : []),
    `  priority     ${t.priority}`,
    `  capabilities ${t.capabilities.length ? t.capabilities.map(safe).join(', ') : 'none'}`,
    `  attempts     ${t.attempts} of ${t.maxAttempts}`,
    ...(Object.keys(t.data).length ? [`  data         ${safe(JSON.stringify(t.data))}`] : []),
    ...(t.workerName || t.worker ? [`  worker       ${safe(t.workerName ?? t.worker!)}${t.worker && t.workerName ? ` (${t.worker})` : ''}`] : []),
    ...(t.execution ? [`  execution    ${t.execution}`] : []),
    `  created      ${t.createdAt}${t.requestedBy ? ` by ${safe(t.requestedBy)}` : ''}`,
    ...(t.state === 'pending' && Date.parse(t.runAt) > now ? [`  runs at      ${t.runAt} (the backoff before its next attempt)`] : []),
    ...(t.deadline ? [`  deadline     ${t.deadline}`] : []),
    ...(t.startedAt ? [`  started      ${t.startedAt}`] : []),
    ...(t.endedAt ? [`  ended        ${t.endedAt}`] : []),
    ...(r?.error ? [`  error        ${safe(r.error)}`] : []),
    ...(r?.exitCode !== undefined ? [`  exit code    ${r.exitCode}${r.timedOut ? ' (timed out)' : ''}`] : r?.timedOut ? ['  timed out'] : []),
    ...Object.entries(r?.outputs ?? {}).map(([k, v]) => `  output       ${safe(k)}=${safe(v)}`),
    '',
    'history',
    ...t.history.map((e) => `  ${e.at}  ${e.state.padEnd(13)} ${e.message ? safe(e.message) : ''}${e.worker && !(e.message ?? '').includes(e.worker) ? `  (${safe(e.worker)})` : ''}`.trimEnd()),
  ];
  return `${out.join('\n')}\n`;
}

/** The one line `submit`, `cancel` and `retry` print: the id, the state and, when it waits for a worker, why. */
export function taskOutcome(t: ShownTask, said?: string): string {
  const head = said ?? `task ${t.id} is ${t.state}`;
  const w = waits(t);
  return `${head}${t.state === 'pending' ? ` (${t.priority}${t.capabilities.length ? `, needs ${t.capabilities.map(safe).join(', ')}` : ''})` : ''}\n${w ? `  ${w}\n` : ''}`;
}
