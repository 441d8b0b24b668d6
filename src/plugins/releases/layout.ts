// Where a directory target keeps a plugin: releases side by side, `current` pointing at the
// live one, and an append-only ledger of every deploy and rollback.
//
//   <target>/<plugin>/releases/<version>-<time>/   one extracted, verified release
//   <target>/<plugin>/releases/.incoming-*/         being unpacked (never live; removed when found)
//   <target>/<plugin>/current -> releases/<…>        switched atomically (symlink + rename)
//   <target>/<plugin>/ledger.jsonl                  who, when, what, checksum, execution
//   <target>/<plugin>/release-info/<release>.json   what each release is (kept beside it, so a
//                                                   release directory holds exactly the archive)
import { join } from 'node:path';

export interface PluginHome {
  dir: string;
  releases: string;
  current: string;
  ledger: string;
  info: string;
}

export const pluginHome = (targetPath: string, pluginId: string): PluginHome => {
  const dir = join(targetPath, pluginId);
  return { dir, releases: join(dir, 'releases'), current: join(dir, 'current'), ledger: join(dir, 'ledger.jsonl'), info: join(dir, 'release-info') };
};

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

export const releaseInfoPath = (home: PluginHome, release: string) => join(home.info, `${release}.json`);

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
