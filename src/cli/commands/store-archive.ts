// The store archive of `pluginops store export|import`: JSON lines, a header first, one line per
// item, and an end line with the counts, so an archive cut short (a full disk, a killed export, a
// partial copy) is told from a whole one. Every line is written by `archiveLine` (JSON.stringify
// escapes line breaks, so a value can never add a line) and read back by `parseArchiveLine`,
// which checks each item's shape before anything is written from it.
import { isLogRecord, isStoredRecord } from '../../store/records.ts';
import { isValidId } from '../../store/ids.ts';
import type { ExecutionRecord, ExecutionStatus, LogRecord } from '../../store/types.ts';
import { priorities, taskStates, type Task, type Worker } from '../../tasks/model.ts';
import { ArchiveError } from './store-errors.ts';

export const archiveFormat = 'pluginops-store';
export const archiveVersion = 1;

export type StoreKind = 'embedded' | 'postgres';
export const storeKinds: readonly StoreKind[] = ['embedded', 'postgres'];

/** The monitor's snapshot and its check histories: a file each on disk, a row each in `state_documents`. */
export const stateNames = ['monitor', 'monitor.histories'] as const;
export type StateName = typeof stateNames[number];

export interface ArchiveHeader { format: typeof archiveFormat; version: typeof archiveVersion; exportedAt: string; from: StoreKind }

/** What an archive holds, by kind; `logs` counts log lines (records), not the chunks they travel in. */
export interface ArchiveCounts { executions: number; logs: number; states: number; tasks: number; workers: number }

export type ArchiveItem =
  | { kind: 'execution'; record: ExecutionRecord }
  /** A chunk of an execution's log, in order; the chunks follow their execution's line. */
  | { kind: 'log'; execution: string; records: LogRecord[] }
  | { kind: 'state'; name: StateName; body: unknown }
  /** `sealed`: how the embedded journal rebuilds a task's secret data (names of variables, never values). */
  | { kind: 'task'; task: Task; sealed?: unknown }
  | { kind: 'worker'; worker: Worker }
  | { kind: 'end'; counts: ArchiveCounts };

export const noCounts = (): ArchiveCounts => ({ executions: 0, logs: 0, states: 0, tasks: 0, workers: 0 });

export function archiveLine(value: ArchiveHeader | ArchiveItem): string {
  return `${JSON.stringify(value)}\n`;
}

const statuses: ReadonlySet<string> = new Set<ExecutionStatus>(['pending', 'running', 'waiting', 'success', 'failed', 'cancelled', 'timed_out', 'interrupted']);
const taskStateSet: ReadonlySet<string> = new Set(taskStates);
const countKeys = Object.keys(noCounts()) as Array<keyof ArchiveCounts>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The header, from the archive's first line; ArchiveError when the file is not an archive this version reads. */
export function parseHeader(text: string, file: string): ArchiveHeader {
  let v: unknown;
  try { v = JSON.parse(text); } catch { v = undefined; }
  if (!isObject(v) || v.format !== archiveFormat) {
    throw new ArchiveError('E_ARCHIVE_FORMAT', `${file} is not a pluginops store archive: its first line is not {"format":"${archiveFormat}",…}`, { file, line: 1 });
  }
  if (v.version !== archiveVersion) {
    throw new ArchiveError('E_ARCHIVE_FORMAT', `${file} is an archive of version ${JSON.stringify(v.version)}; this pluginops reads version ${archiveVersion}${typeof v.version === 'number' && v.version > archiveVersion ? ' (it was written by a newer pluginops)' : ''}`, { file, line: 1 });
  }
  if (typeof v.exportedAt !== 'string' || !storeKinds.includes(v.from as StoreKind)) {
    throw new ArchiveError('E_ARCHIVE_FORMAT', `${file} line 1: the header needs "exportedAt" (a time) and "from" (embedded or postgres)`, { file, line: 1 });
  }
  return { format: archiveFormat, version: archiveVersion, exportedAt: v.exportedAt, from: v.from as StoreKind };
}

/** One item line; ArchiveError E_ARCHIVE_LINE naming the line and what is wrong with it. */
export function parseArchiveLine(text: string, file: string, line: number): ArchiveItem {
  const wrong = (what: string) => new ArchiveError('E_ARCHIVE_LINE', `${file} line ${line}: ${what}`, { file, line });
  let v: unknown;
  try { v = JSON.parse(text); } catch (e) { throw wrong(`not JSON (${(e as Error).message})`); }
  if (!isObject(v)) throw wrong('not a JSON object');
  const problem = problemOf(v);
  if (problem) throw wrong(problem);
  return v as ArchiveItem;
}

/** Why `v` is not an item of the archive, or undefined when it is one. */
function problemOf(v: Json): string | undefined {
  switch (v.kind) {
    case 'execution': {
      const r = v.record;
      if (!isStoredRecord({ type: 'created', record: r }) || !isObject(r)) return 'an execution needs a record with an id, steps and artifacts';
      if (!isValidId(r.id)) return `the execution id ${JSON.stringify(r.id)} is not a valid id`;
      if (typeof r.workflow !== 'string' || typeof r.createdAt !== 'string' || !statuses.has(r.status as string)) return `execution ${r.id as string}: needs a workflow, a createdAt time and a known status`;
      if (!isObject(r.parameters)) return `execution ${r.id as string}: needs its parameters (an object)`;
      return undefined;
    }
    case 'log':
      if (!isValidId(v.execution)) return `a log chunk names no valid execution id (${JSON.stringify(v.execution)})`;
      if (!Array.isArray(v.records) || !v.records.every(isLogRecord)) return `the log chunk of ${v.execution}: "records" must be log records (timestamp, level, message)`;
      return undefined;
    case 'state':
      if (!stateNames.includes(v.name as StateName)) return `unknown state ${JSON.stringify(v.name)} (expected ${stateNames.join(' or ')})`;
      if (!isObject(v.body)) return `state ${v.name as string}: the body must be an object`;
      if (v.name === 'monitor' && (v.body.version !== 1 || !isObject(v.body.checks) || !Array.isArray(v.body.incidents) || !Array.isArray(v.body.outbox))) {
        return 'state monitor: the body is not a monitor snapshot of version 1';
      }
      return undefined;
    case 'task': {
      const t = v.task;
      if (!isObject(t) || typeof t.id !== 'string' || t.id === '' || !taskStateSet.has(t.state as string) || typeof t.version !== 'number' || !isObject(t.work) || !Array.isArray(t.history)) {
        return 'a task needs an id, a known state, a version, its work and its history';
      }
      if (!(priorities as readonly unknown[]).includes(t.priority) || !Array.isArray(t.capabilities) || typeof t.runAt !== 'string' || typeof t.createdAt !== 'string') return `task ${t.id}: needs a known priority, capabilities, runAt and createdAt`;
      return undefined;
    }
    case 'worker': {
      const w = v.worker;
      if (!isObject(w) || typeof w.id !== 'string' || w.id === '' || typeof w.name !== 'string' || !Array.isArray(w.capabilities) || typeof w.lastSeen !== 'string') {
        return 'a worker needs an id, a name, capabilities and lastSeen';
      }
      return undefined;
    }
    case 'end':
      if (!isObject(v.counts) || !countKeys.every((k) => Number.isInteger((v.counts as Json)[k]))) return `the end line needs counts of ${countKeys.join(', ')}`;
      return undefined;
    default:
      return `unknown kind ${JSON.stringify(v.kind)} (expected execution, log, state, task, worker or end)`;
  }
}

/** The kinds whose counts differ between what the end line says and what was read, in words. */
export function countsDiffer(said: ArchiveCounts, read: ArchiveCounts): string | undefined {
  const off = countKeys.filter((k) => said[k] !== read[k]).map((k) => `${k}: ${said[k]} said, ${read[k]} found`);
  return off.length ? off.join('; ') : undefined;
}
