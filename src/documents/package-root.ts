// Where pluginops itself is installed: its shipped templates live in `<root>/pipelines`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
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

let shipped: ReadonlySet<string> | undefined;

/** Ids of the ActionPlans shipped in `pipelines/`: remediation may name them without a copy in the project. */
export function shippedPlanIds(): ReadonlySet<string> {
  if (shipped) return shipped;
  const ids = new Set<string>();
  try {
    const dir = templatesDir();
    for (const name of readdirSync(dir)) {
      if (!/\.ya?ml$/.test(name)) continue;
      const text = readFileSync(join(dir, name), 'utf8');
      const id = /^kind:\s*ActionPlan\s*$/m.test(text) ? /^metadata:\s*\n\s+id:\s*([A-Za-z][A-Za-z0-9_-]*)\s*$/m.exec(text)?.[1] : undefined;
      if (id) ids.add(id);
    }
  } catch { /* no templates: nothing shipped */ }
  return (shipped = ids);
}
