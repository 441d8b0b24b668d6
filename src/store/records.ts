// The lines of the JSON-lines files: what each record is, writing one, and tolerant parsing
// (a torn or unreadable line is skipped, never fatal).
import type { ExecutionPatch, ExecutionRecord, LogRecord } from './types.ts';

/** One line of `executions/<id>.jsonl`. */
export type StoredRecord =
  | { type: 'created'; record: ExecutionRecord }
  | { type: 'snapshot'; record: ExecutionRecord }
  | ExecutionPatch;

export function serialize(value: StoredRecord | LogRecord): string {
  return `${JSON.stringify(value)}\n`;
}

/** Parses every line that is JSON and passes `accept`; torn or foreign lines are ignored. */
export function parseLines<T>(text: string, accept: (value: unknown) => value is T): T[] {
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (accept(value)) out.push(value);
  }
  return out;
}

export function isStoredRecord(value: unknown): value is StoredRecord {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'created':
    case 'snapshot':
      return isObject(value.record) && typeof value.record.id === 'string' && isObject(value.record.steps) &&
        Array.isArray(value.record.artifacts);
    case 'status':
      return typeof value.status === 'string' && typeof value.at === 'string';
    case 'step':
      return isObject(value.step) && typeof value.step.id === 'string';
    case 'artifact':
      return isObject(value.artifact) && typeof value.artifact.name === 'string';
    case 'approval':
      return isObject(value.approval) && typeof value.approval.step === 'string' && Array.isArray(value.approval.decisions);
    case 'parameters':
      return isObject(value.parameters);
    case 'resumed':
      return typeof value.at === 'string' && isObject(value.owner);
    default:
      return false;
  }
}

const logLevels: readonly unknown[] = ['debug', 'info', 'warn', 'error'];

export function isLogRecord(value: unknown): value is LogRecord {
  return isObject(value) && typeof value.timestamp === 'string' && logLevels.includes(value.level) &&
    typeof value.message === 'string';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
