// The files a scan reads: everything below the plugin root except version control, dependencies,
// caches, build output and the excluded patterns; symbolic links are not followed. Sorted by path.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { languageOf, type FileLanguage } from './comments.ts';
import { cmp } from './finding.ts';
import { globMatcher } from './glob.ts';

export const skippedDirectories: ReadonlySet<string> = new Set(['.git', 'node_modules', '__pycache__', 'build', 'dist', '.pluginops', '.venv', 'venv']);

export interface SourceFile {
  path: string;
  /** Relative to the root, `/`-separated. */
  rel: string;
  language: FileLanguage;
  size: number;
}

export async function walkPlugin(root: string, exclude: readonly string[] = [], signal?: AbortSignal): Promise<SourceFile[]> {
  const excluded = globMatcher(exclude);
  const out: SourceFile[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    signal?.throwIfAborted();
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => cmp(a.name, b.name));
    for (const e of entries) {
      const rel = prefix + e.name;
      if (excluded(rel)) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (!skippedDirectories.has(e.name)) await walk(path, `${rel}/`);
      } else if (e.isFile()) {
        out.push({ path, rel, language: languageOf(rel), size: (await stat(path)).size });
      }
    }
  };
  await walk(root, '');
  return out;
}
