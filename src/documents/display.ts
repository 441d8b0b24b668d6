// How a file is named in messages: relative to the working directory when it is inside it,
// absolute otherwise (never a path full of `../`).
import { isAbsolute, relative } from 'node:path';

export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? path : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
