// Execution ids become file names, so only safe names are accepted (no separators, no `..`).
import { StoreError } from './errors.ts';

const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && idPattern.test(id) && !id.includes('..');
}

/** Throws StoreError E_BAD_ID unless `id` is a safe execution id. */
export function checkId(id: unknown): string {
  if (isValidId(id)) return id;
  throw new StoreError(
    'E_BAD_ID',
    `invalid execution id ${JSON.stringify(id)}: expected 1 to 128 letters, digits, "_", "." or "-", ` +
      'starting with a letter or digit and without ".."',
  );
}
