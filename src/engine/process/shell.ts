// The command line for a script: the shell found once on PATH (so no search happens in the
// forked child on every step), with the flags that make it stop at the first failure.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

import { simpleCommand } from './direct.ts';

export type Shell = 'bash' | 'sh';

const flags: Record<Shell, string[]> = {
  bash: ['--noprofile', '--norc', '-eo', 'pipefail', '-c'],
  sh: ['-e', '-c'],
};

const found = new Map<string, string>();

/** The absolute path of `name` on `path`, or the bare name when it is not found. */
export function locate(name: string, path: string | undefined): string {
  const key = `${name}\0${path ?? ''}`;
  const hit = found.get(key);
  if (hit) return hit;
  let resolved: string = name;
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    try { accessSync(join(dir, name), constants.X_OK); resolved = join(dir, name); break; } catch { /* next */ }
  }
  found.set(key, resolved);
  return resolved;
}

const locateProgram = (name: string, path: string | undefined) => {
  const found = locate(name, path);
  return found === name ? undefined : found;
};

export function shellCommand(shell: Shell, script: string, path: string | undefined): [string, string[]] {
  const words = simpleCommand(script);
  const program = words && !words[0]!.includes('/') ? locateProgram(words[0]!, path) : undefined;
  if (words && program) return [program, words.slice(1)];
  return [locate(shell, path), [...flags[shell], script]];
}
