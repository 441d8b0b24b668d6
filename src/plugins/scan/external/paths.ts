// Paths reported by tools, made relative to the scanned root (undefined when outside it).
import { isAbsolute, relative, resolve, sep } from 'node:path';

export function relativeToRoot(root: string, reported: string): string | undefined {
  const rel = relative(root, isAbsolute(reported) ? reported : resolve(root, reported));
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** The JSON object in a tool's stdout, skipping any lines printed before it. */
export function jsonPart(stdout: string): unknown {
  const start = stdout.search(/^\s*\{/m);
  if (start < 0) throw new SyntaxError('no JSON object in the output');
  return JSON.parse(stdout.slice(start));
}
