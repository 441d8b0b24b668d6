// Where a directory target keeps a plugin: releases side by side, `current` pointing at the
// live one, and an append-only ledger of every deploy and rollback.
//
//   <target>/<plugin>/releases/<version>-<time>/   one extracted, verified release
//   <target>/<plugin>/releases/.incoming-*/         being unpacked (never live; removed when found)
//   <target>/<plugin>/current -> releases/<…>        switched atomically (symlink + rename)
//   <target>/<plugin>/ledger.jsonl                  who, when, what, checksum, execution
//   <target>/<plugin>/release-info/<release>.json   what each release is (kept beside it, so a
//                                                   release directory holds exactly the archive)
//
// The plugin id and every release name are checked against their patterns, and each path is
// checked to stay inside the target (`insideRoot`), before anything reads or writes there.
import { checkPathId, insideRoot } from '../../store/paths.ts';

export interface PluginHome {
  dir: string;
  releases: string;
  current: string;
  ledger: string;
  info: string;
}

/** Throws PathError E_BAD_ID for a plugin id that is not one plain name. */
export const pluginHome = (targetPath: string, pluginId: string): PluginHome => {
  const dir = insideRoot(targetPath, checkPathId('plugin', pluginId));
  const at = (name: string) => insideRoot(dir, name);
  return { dir, releases: at('releases'), current: at('current'), ledger: at('ledger.jsonl'), info: at('release-info') };
};

/** A release directory; throws PathError E_BAD_ID for a name that is not one plain name. */
export const releasePath = (home: PluginHome, release: string) => insideRoot(home.releases, checkPathId('release', release));

/** Written into every release directory. */
export interface ReleaseInfo {
  plugin: string;
  version: string;
  /** SHA-256 of the archive it came from. */
  sha256: string;
  deployedAt: string;
  executionId?: string;
  by: string;
}

export const releaseInfoPath = (home: PluginHome, release: string) => insideRoot(home.info, `${checkPathId('release', release)}.json`);

export interface LedgerEntry {
  at: string;
  action: 'deploy' | 'rollback';
  plugin: string;
  version: string;
  sha256: string;
  release: string;
  previous?: string;
  executionId?: string;
  by: string;
}
