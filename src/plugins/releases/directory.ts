// Deploying to, and rolling back on, a directory target. The live release only ever changes by
// one atomic rename of the `current` link, after the new release is fully unpacked and verified.
// Nothing is read or written through a symlink that leads out of the target: the plugin's folder,
// `releases/`, `release-info/`, the ledger and the release being made live are checked first.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { extractArchive, verifyTree } from '../archive/index.ts';
import { removeTree } from '../archive/remove.ts';
import { isPathId, realInsideRoot } from '../../store/paths.ts';
import { appendDurable, fsyncDir, readLinkOrUndefined, switchLink, writeNoFollow } from './fs.ts';
import { pluginHome, releaseInfoPath, releasePath, type LedgerEntry, type PluginHome, type ReleaseInfo } from './layout.ts';
import { PluginopsError } from '../../errors/base.ts';
import type { ErrorKind } from '../../errors/kinds.ts';

export class ReleaseError extends PluginopsError {
  readonly kind: ErrorKind;
  constructor(readonly code: 'E_NO_RELEASE' | 'E_RELEASE_CORRUPT' | 'E_DEPLOY', message: string) {
    super(message);
    this.kind = code === 'E_NO_RELEASE' ? 'not_found' : 'failed';
  }
}

export interface Release { name: string; path: string; info: ReleaseInfo }

export async function listReleases(home: PluginHome): Promise<Release[]> {
  const names = await readdir(home.releases).catch(() => [] as string[]);
  const out: Release[] = [];
  for (const name of names) {
    if (!isPathId('release', name)) continue; // `.incoming-*`, or not a release this code made
    const path = releasePath(home, name);
    try {
      out.push({ name, path, info: JSON.parse(await readFile(releaseInfoPath(home, name), 'utf8')) as ReleaseInfo });
    } catch { /* not a complete release */ }
  }
  return out.sort((a, b) => a.info.deployedAt.localeCompare(b.info.deployedAt) || a.name.localeCompare(b.name));
}

export async function currentRelease(home: PluginHome): Promise<Release | undefined> {
  const target = await readLinkOrUndefined(home.current);
  if (!target) return undefined;
  return (await listReleases(home)).find((r) => r.name === basename(target));
}

export interface DeployRequest {
  targetPath: string;
  plugin: string;
  version: string;
  archive: string;
  sha256: string;
  keep: number;
  by: string;
  executionId?: string;
  now: Date;
  log: (message: string) => void;
  /** Stops the unpacking (a step's timeout, a cancelled run); what was unpacked is removed. */
  signal?: AbortSignal;
}

export interface DeployOutcome {
  changed: boolean;
  release: string;
  path: string;
  previous?: string;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export async function deployToDirectory(r: DeployRequest): Promise<DeployOutcome> {
  const home = pluginHome(r.targetPath, r.plugin);
  const name = `${r.version}-${stamp(r.now)}`;
  const finalPath = releasePath(home, name);
  await guardHome(r.targetPath, home);
  await mkdir(home.releases, { recursive: true });
  await guardHome(r.targetPath, home);
  await removeIncoming(home);
  const live = await currentRelease(home);
  if (live && live.info.version === r.version && live.info.sha256 === r.sha256) {
    r.log(`${r.plugin} ${r.version} with this checksum is already live (${live.name}); nothing to do`);
    return { changed: false, release: live.name, path: live.path, previous: live.name };
  }
  const incoming = join(home.releases, `.incoming-${randomBytes(6).toString('hex')}`);
  try {
    await extractArchive({ archive: r.archive, dest: incoming, expectedSha256: r.sha256, ...(r.signal ? { signal: r.signal } : {}) });
    const info: ReleaseInfo = { plugin: r.plugin, version: r.version, sha256: r.sha256, deployedAt: r.now.toISOString(), executionId: r.executionId, by: r.by };
    await mkdir(home.info, { recursive: true });
    await guardHome(r.targetPath, home);
    await writeNoFollow(releaseInfoPath(home, name), JSON.stringify(info, null, 2) + '\n');
    if (r.signal?.aborted) throw new ReleaseError('E_DEPLOY', 'the deploy was cancelled before the release was made live');
    await rename(incoming, finalPath);
    await fsyncDir(home.releases);
  } catch (e) {
    try { removeTree(incoming); } catch { /* the next deploy removes it; the failure that matters is e */ }
    throw e;
  }
  await switchLink(home.current, join('releases', name));
  await appendDurable(home.ledger, {
    at: r.now.toISOString(), action: 'deploy', plugin: r.plugin, version: r.version, sha256: r.sha256,
    release: name, previous: live?.name, executionId: r.executionId, by: r.by,
  } satisfies LedgerEntry);
  r.log(`${r.plugin} ${r.version} is live: ${finalPath}${live ? ` (previous: ${live.name})` : ''}`);
  await prune(home, r.keep, [name, live?.name]);
  return { changed: true, release: name, path: finalPath, previous: live?.name };
}

export interface RollbackRequest {
  targetPath: string;
  plugin: string;
  /** A version or a release name; default: the release deployed before the live one. */
  to?: string;
  by: string;
  executionId?: string;
  now: Date;
  log: (message: string) => void;
}

export async function rollbackDirectory(r: RollbackRequest): Promise<{ release: string; version: string; from?: string }> {
  const home = pluginHome(r.targetPath, r.plugin);
  await guardHome(r.targetPath, home);
  const releases = await listReleases(home);
  const live = await currentRelease(home);
  const candidates = releases.filter((x) => x.name !== live?.name);
  const chosen = r.to !== undefined
    ? [...candidates].reverse().find((x) => x.name === r.to || x.info.version === r.to)
    : [...candidates].reverse().find((x) => !live || x.info.deployedAt <= live.info.deployedAt);
  if (!chosen) {
    throw new ReleaseError('E_NO_RELEASE', r.to !== undefined
      ? `no release ${r.to} of ${r.plugin} to roll back to; expected one of: ${candidates.map((x) => x.name).join(', ') || '(none)'}`
      : `no release of ${r.plugin} before ${live?.name ?? 'the live one'} to roll back to`);
  }
  // The release must be a directory of the target, not a symlink to somewhere else.
  await realInsideRoot(home.releases, chosen.path, { noLink: true });
  // Files the release was shipped with must be intact; files that running it created (caches,
  // logs) are reported but do not block the rollback.
  const check = await verifyTree(chosen.path);
  const extra = check.problems.filter((p) => p.startsWith('extra: '));
  const broken = check.problems.filter((p) => !p.startsWith('extra: '));
  if (broken.length) throw new ReleaseError('E_RELEASE_CORRUPT', `release ${chosen.name} fails its checksums, so it is not restored: ${broken.slice(0, 3).join('; ')}`);
  if (extra.length) r.log(`release ${chosen.name} holds ${extra.length} file(s) it was not shipped with (${extra.slice(0, 3).map((p) => p.slice(7)).join(', ')}); shipped files verified`);
  await switchLink(home.current, join('releases', chosen.name));
  await appendDurable(home.ledger, {
    at: r.now.toISOString(), action: 'rollback', plugin: r.plugin, version: chosen.info.version, sha256: chosen.info.sha256,
    release: chosen.name, previous: live?.name, executionId: r.executionId, by: r.by,
  } satisfies LedgerEntry);
  r.log(`${r.plugin} rolled back to ${chosen.info.version} (${chosen.name})${live ? `, from ${live.name}` : ''}`);
  return { release: chosen.name, version: chosen.info.version, from: live?.name };
}

export async function readLedger(home: PluginHome): Promise<LedgerEntry[]> {
  const text = await readFile(home.ledger, 'utf8').catch(() => '');
  return text.split('\n').flatMap((l) => { try { return l ? [JSON.parse(l) as LedgerEntry] : []; } catch { return []; } });
}

/**
 * The plugin's folder and what the deploy writes in it must not be symlinks (one could lead the
 * `current` link and the ledger out of the target); whatever exists must really be inside.
 */
async function guardHome(targetPath: string, home: PluginHome): Promise<void> {
  await realInsideRoot(targetPath, home.dir, { noLink: true });
  for (const path of [home.releases, home.info, home.ledger]) await realInsideRoot(home.dir, path, { noLink: true });
}

/** Unpacking that a crash interrupted: never live, safe to remove (iteratively, at any depth). */
async function removeIncoming(home: PluginHome): Promise<void> {
  for (const name of await readdir(home.releases)) {
    if (name.startsWith('.incoming-')) removeTree(join(home.releases, name));
  }
}

/** Keeps the newest `keep` releases, and always the live and previous ones. */
async function prune(home: PluginHome, keep: number, protect: Array<string | undefined>): Promise<void> {
  const releases = await listReleases(home);
  const old = releases.slice(0, Math.max(0, releases.length - keep)).filter((x) => !protect.includes(x.name));
  for (const x of old) {
    removeTree(x.path);
    removeTree(releaseInfoPath(home, x.name));
  }
}
