// What the task board's tests share: a `test` that survives a TaskError, and the times they use.
import { test as uvuTest } from 'uvu';
import { TaskError } from '../../src/tasks/errors.ts';

/**
 * uvu's reporter reads an error's `details` as a string, and TaskError's is an object: a TaskError
 * escaping a test would stop the whole file. Tests throw it on as a plain Error instead.
 */
export function test(name: string, fn: () => void | Promise<void>): void {
  uvuTest(name, async () => {
    try { await fn(); } catch (e) {
      if (e instanceof TaskError) throw new Error(`unexpected ${e.code}: ${e.message}`);
      throw e;
    }
  });
}
test.run = () => uvuTest.run();
test.after = (fn: () => void | Promise<void>) => uvuTest.after(fn);

export const second = 1_000;
export const minute = 60 * second;
export const t0 = Date.UTC(2026, 0, 5, 9);
export const leaseMs = 30 * second;
