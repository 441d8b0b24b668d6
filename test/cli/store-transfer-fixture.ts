// A project whose embedded store holds a bit of everything an archive carries: executions made
// through the store's own API (one with a log long enough to travel in several chunks, a failed
// one with a masked parameter, one waiting for approval, one still running), the monitor's state
// and check histories, and a tasks.jsonl with a task changed twice, a sealed task and a worker.
// Plus what the tests compare archives by: their items, whatever order and chunking.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore } from '../../src/store/file-store.ts';
import type { ExecutionRecord, LogRecord } from '../../src/store/types.ts';
import type { Task, Worker } from '../../src/tasks/model.ts';
import { project } from './helpers.ts';

export const variable = 'PLUGINOPS_STORE_TRANSFER_TEST_URL';
export const pgProjectFile = `apiVersion: pluginops/v1\nkind: Project\nstore:\n  postgres:\n    url: { env: ${variable} }\n`;
export const logLines = 1_200;

const at = (s: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, s)).toISOString();

function execution(id: string, second: number, fields: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return { id, workflow: 'deploy', parameters: { plugin: 'demo' }, status: 'pending', createdAt: at(second), steps: {}, artifacts: [], ...fields };
}

export function task(id: string, fields: Partial<Task> = {}): Task {
  return {
    id, type: 'deploy', priority: 'normal', data: { region: 'eu' }, capabilities: ['linux'], work: { kind: 'workflow', workflow: 'deploy' },
    state: 'pending', attempts: 0, maxAttempts: 3, backoffMs: 1_000, runAt: at(10), createdAt: at(10), updatedAt: at(10),
    history: [{ at: at(10), state: 'pending' }], version: 1, ...fields,
  };
}

export const worker: Worker = {
  id: 'w-1', name: 'builder', capabilities: ['linux'], concurrency: 2, registeredAt: at(5), lastSeen: at(20), draining: false,
  offlineAt: at(21), completed: 4, failed: 1,
};

/** A project (embedded by default, or `files`' project file) whose store holds the fixture. */
export async function filledProject(files: Record<string, string> = {}): Promise<string> {
  const dir = project(files);
  const storeDir = join(dir, '.pluginops');
  const store = await openFileStore(storeDir);
  await store.create(execution('a-success', 1));
  await store.update('a-success', { type: 'status', status: 'running', at: at(1) });
  for (let i = 0; i < logLines; i++) store.log('a-success', { timestamp: at(2), level: i % 100 === 0 ? 'warn' : 'info', step: 'build', message: `line ${i} "quoted" \\ and ünïcode` });
  await store.update('a-success', { type: 'step', step: { id: 'build', status: 'success', attempts: 1, outputs: { version: '1.2.3' }, startedAt: at(1), endedAt: at(3), durationMs: 2_000 } });
  await store.update('a-success', { type: 'status', status: 'success', at: at(3) });
  await store.create(execution('b-failed', 2, { parameters: { token: '***' } }));
  store.log('b-failed', { timestamp: at(2), level: 'error', message: 'exit 1' });
  await store.update('b-failed', { type: 'status', status: 'failed', at: at(4), error: 'step build failed' });
  await store.create(execution('c-waiting', 3));
  await store.update('c-waiting', { type: 'approval', approval: { step: 'gate', status: 'waiting', requestedAt: at(3), onTimeout: 'reject', quorum: 1, fourEyes: false, title: 'Ship it?', parameters: {}, decisions: [] } });
  await store.update('c-waiting', { type: 'status', status: 'waiting', at: at(3), currentStep: 'gate' });
  await store.create(execution('d-running', 4));
  await store.update('d-running', { type: 'step', step: { id: 'build', status: 'running', attempts: 1, outputs: {}, startedAt: at(4) } });
  await store.update('d-running', { type: 'status', status: 'running', at: at(4) });
  await store.close();

  mkdirSync(join(storeDir, 'monitor'), { recursive: true });
  const snapshot = {
    version: 1, savedAt: 1_767_322_000_000, checks: { api: { health: { healthy: false, consecutiveFailures: 3, consecutiveSuccesses: 0 }, history: [] } },
    alerts: [], incidents: [{ id: 'inc-1', title: 'api down', status: 'open', labels: { plugin: 'demo' } }], outbox: [], nextOutboxId: 1,
    counters: { checksRun: 9, checksFailed: 3, evaluations: 0, evaluationErrors: 0, notificationsSent: 0, notificationsFailed: 0, notificationsDropped: 0 },
  };
  writeFileSync(join(storeDir, 'monitor', 'state.json'), JSON.stringify(snapshot));
  writeFileSync(join(storeDir, 'monitor', 'histories.json'), JSON.stringify({ api: [{ at: 1_767_322_000_000, ok: false, durationMs: 12, error: 'refused' }] }));
  const journal = [
    { task: task('t-1') },
    { worker },
    { task: task('t-2', { data: { password: '***' } }), sealed: { password: { masked: '***', parts: [{ env: 'DEPLOY_PASSWORD' }] } } },
    { task: task('t-1', { state: 'succeeded', attempts: 1, worker: 'w-1', workerName: 'builder', startedAt: at(11), endedAt: at(12), updatedAt: at(12), execution: 'a-success', version: 3 }) },
  ];
  writeFileSync(join(storeDir, 'tasks.jsonl'), `${journal.map((l) => JSON.stringify(l)).join('\n')}\n{"task": torn`);
  return dir;
}

/** An archive's lines, parsed. */
export function archiveLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** What an archive holds, keyed by id (so neither order nor log chunking matter). */
export function contents(path: string) {
  const out = { executions: {} as Record<string, ExecutionRecord>, logs: {} as Record<string, LogRecord[]>, states: {} as Record<string, unknown>, tasks: {} as Record<string, unknown>, workers: {} as Record<string, unknown>, end: undefined as unknown };
  for (const item of archiveLines(path).slice(1)) {
    if (item.kind === 'execution') out.executions[(item.record as ExecutionRecord).id] = item.record as ExecutionRecord;
    if (item.kind === 'log') (out.logs[item.execution as string] ??= []).push(...(item.records as LogRecord[]));
    if (item.kind === 'state') out.states[item.name as string] = item.body;
    if (item.kind === 'task') out.tasks[(item.task as Task).id] = item.task;
    if (item.kind === 'worker') out.workers[(item.worker as Worker).id] = item.worker;
    if (item.kind === 'end') out.end = item.counts;
  }
  return out;
}
