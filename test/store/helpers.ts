// Shared fixtures for the store tests: fresh temp dirs and small execution records.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../src/store/errors.ts';
import type { ExecutionRecord, StepRecord } from '../../src/store/types.ts';

export function tempDir(prefix = 'pluginops-store-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function execution(id: string, fields: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id,
    workflow: 'deploy',
    parameters: {},
    status: 'pending',
    createdAt: '2026-01-01T00:00:00.000Z',
    steps: {},
    artifacts: [],
    ...fields,
  };
}

export function step(id: string, fields: Partial<StepRecord> = {}): StepRecord {
  return { id, status: 'success', attempts: 1, outputs: {}, ...fields };
}

/** The non-empty lines of a file. */
export function fileLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
}

/** The StoreError code a promise rejects with ('resolved' when it does not reject). */
export async function errorCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (err) {
    return err instanceof StoreError ? err.code : `not a StoreError: ${String(err)}`;
  }
}

/** Same for a synchronous call. */
export function syncErrorCodeOf(fn: () => unknown): string {
  try {
    fn();
    return 'returned';
  } catch (err) {
    return err instanceof StoreError ? err.code : `not a StoreError: ${String(err)}`;
  }
}
