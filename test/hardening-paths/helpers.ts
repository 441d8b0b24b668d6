// A project with a plugin deployed twice to a directory OUTSIDE its deploy target, and a reading
// of that directory, so a test can show that a hostile id changed nothing there.
import { mkdtempSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArchive } from '../../src/plugins/archive/index.ts';
import { deployToDirectory } from '../../src/plugins/releases/directory.ts';
import { root } from '../cli/helpers.ts';

export interface Planted {
  /** The project directory (its default target is `.pluginops/deployments`). */
  project: string;
  /** `<project>/outside`: reached from the target by the plugin id `../../outside/fake`. */
  outside: string;
}

/** Two real releases of `fake` in `outside`, the newer live, so a rollback there would succeed. */
export async function plantedOutside(): Promise<Planted> {
  const project = mkdtempSync(join(tmpdir(), 'pluginops-hardening-'));
  const outside = join(project, 'outside');
  const built = await buildArchive({ root: join(root, 'examples', 'plugins', 'hello'), outDir: join(project, 'build'), name: 'fake' });
  for (const [version, at] of [['1.0.0', '2026-01-01T00:00:00Z'], ['1.0.1', '2026-01-02T00:00:00Z']] as const) {
    await deployToDirectory({ targetPath: outside, plugin: 'fake', version, archive: built.archive, sha256: built.sha256, keep: 5, by: 'test', now: new Date(at), log: () => undefined });
  }
  return { project, outside };
}

/** What a rollback or deploy would change in a plugin folder: its live link, ledger and entries. */
export function stateOf(pluginDir: string): { current: string; ledger: string; entries: string[] } {
  return {
    current: readlinkSync(join(pluginDir, 'current')),
    ledger: readFileSync(join(pluginDir, 'ledger.jsonl'), 'utf8'),
    entries: readdirSync(pluginDir).sort(),
  };
}
