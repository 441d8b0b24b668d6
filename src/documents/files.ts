// Finding document files: a path is a file, or a directory searched for *.yml / *.yaml.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { displayPath } from './display.ts';
import type { Diagnostic } from './diagnostics.ts';

const isYaml = (name: string) => /\.ya?ml$/i.test(name);

export async function expandPaths(paths: string[], cwd: string): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const given of paths) {
    const p = resolve(cwd, given);
    const info = await stat(p).catch(() => undefined);
    if (!info) diagnostics.push({ file: displayPath(cwd, p), line: 1, col: 1, code: 'E_FILE_NOT_FOUND', message: `no such file or directory; expected a YAML file or a directory of them` });
    else if (info.isDirectory()) files.push(...await walk(p));
    else files.push(p);
  }
  return { files: [...new Set(files)], diagnostics };
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...await walk(p));
    else if (isYaml(e.name)) out.push(p);
  }
  return out;
}
