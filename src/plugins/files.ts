// The source files of a plugin: everything below its root except version control, dependencies,
// caches, build output and dot-directories.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const skipped = new Set(['.git', 'node_modules', '__pycache__', 'build', 'dist', '.pluginops', '.venv', 'venv']);

export async function sourceFiles(root: string, extensions: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (skipped.has(e.name) || e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && extensions.some((x) => e.name.endsWith(x))) out.push(p);
    }
  };
  await walk(root);
  return out;
}
