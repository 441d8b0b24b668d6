// Execution ids become file names, so only safe names are accepted (no separators, no `..`).
import { StoreError } from './errors.ts';
import { idPatterns, isPathId } from './paths.ts';

export function isValidId(id: unknown): id is string {
  return isPathId('execution', id);
}

/** Throws StoreError E_BAD_ID unless `id` is a safe execution id. */
export function checkId(id: unknown): string {
  if (isValidId(id)) return id;
  throw new StoreError('E_BAD_ID', `invalid execution id ${JSON.stringify(id)}: expected ${idPatterns.execution.says} and without ".."`);
}
