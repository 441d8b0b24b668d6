// A NUL can reach a value through an escape (`"a\0b"` in a double-quoted string) even though the
// text itself holds none. No process argument, environment variable or file name can carry one
// (Node refuses it at spawn, without a place in the user's file), so it is refused here, where
// it is written.
import type { Diagnostic } from '../diagnostics.ts';
import { locate, type SourceDocument } from '../source.ts';

/** Every string value (and key) that holds a NUL, located; at most `max` of them. */
export function nulInStrings(src: SourceDocument, max = 20): Diagnostic[] {
  const found: Diagnostic[] = [];
  const walk = (value: unknown, path: Array<string | number>): void => {
    if (found.length >= max) return;
    if (typeof value === 'string') {
      if (value.includes('\0')) found.push({ file: src.file, ...locate(src, path), code: 'E_CONTROL_CHARACTER', message: 'the value holds a NUL character (\\0); expected text without one' });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i]));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('\0')) found.push({ file: src.file, ...locate(src, path), code: 'E_CONTROL_CHARACTER', message: 'a key holds a NUL character (\\0); expected text without one' });
        walk(v, [...path, k]);
      }
    }
  };
  walk(src.value, []);
  return found;
}
