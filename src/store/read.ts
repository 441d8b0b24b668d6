// Reading execution and log files as they are on disk (tolerating a torn tail).
import { readFile } from 'node:fs/promises';
import { errorCode } from './errors.ts';
import { foldRecords } from './fold.ts';
import { isLogRecord, isStoredRecord, parseLines } from './records.ts';
import type { ExecutionRecord, LogRecord } from './types.ts';

/** The file's text, or undefined when it does not exist (or was removed meanwhile). */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

export async function readExecutionFile(path: string): Promise<ExecutionRecord | undefined> {
  const text = await readTextIfExists(path);
  return text === undefined ? undefined : foldRecords(parseLines(text, isStoredRecord));
}

export async function readLogFile(path: string): Promise<LogRecord[]> {
  const text = await readTextIfExists(path);
  return text === undefined ? [] : parseLines(text, isLogRecord);
}

/** Maps `items` with at most `limit` calls in flight (keeps open files under the OS limit). */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += limit) {
    out.push(...(await Promise.all(items.slice(i, i + limit).map(fn))));
  }
  return out;
}
