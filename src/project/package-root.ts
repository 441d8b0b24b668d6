// Where pluginops itself is installed: its shipped templates live in `<root>/pipelines`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'pluginops') return (cached = dir);
    if (dirname(dir) === dir) throw new Error('cannot find the pluginops package root');
  }
}

export const templatesDir = (): string => join(packageRoot(), 'pipelines');
