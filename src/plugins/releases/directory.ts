// Deploying to, and rolling back on, a directory target. The live release only ever changes by
// one atomic rename of the `current` link, after the new release is fully unpacked and verified.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { extractArchive, verifyTree } from '../archive/index.ts';
import { appendDurable, fsyncDir, readLinkOrUndefined, switchLink } from './fs.ts';
import { pluginHome, releaseInfoPath, type LedgerEntry, type PluginHome, type ReleaseInfo } from './layout.ts';

export class ReleaseError extends Error {
  constructor(readonly code: 'E_NO_RELEASE' | 'E_RELEASE_CORRUPT' | 'E_DEPLOY', message: string) { super(message); }
}

export interface Release { name: string; path: string; info: ReleaseInfo }

export async function listReleases(home: PluginHome): Promise<Release[]> {
  const names = await readdir(home.releases).catch(() => [] as string[]);
  const out: Release[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(home.releases, name);
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
  await mkdir(home.releases, { recursive: true });
  await removeIncoming(home);
  const live = await currentRelease(home);
  if (live && live.info.version === r.version && live.info.sha256 === r.sha256) {
    r.log(`${r.plugin} ${r.version} with this checksum is already live (${live.name}); nothing to do`);
    return { changed: false, release: live.name, path: live.path, previous: live.name };
  }
  const name = `${r.version}-${stamp(r.now)}`;
  const incoming = join(home.releases, `.incoming-${randomBytes(6).toString('hex')}`);
  try {
    await extractArchive({ archive: r.archive, dest: incoming, expectedSha256: r.sha256 });
    const info: ReleaseInfo = { plugin: r.plugin, version: r.version, sha256: r.sha256, deployedAt: r.now.toISOString(), executionId: r.executionId, by: r.by };
    await mkdir(home.info, { recursive: true });
    await writeFile(releaseInfoPath(home, name), JSON.stringify(info, null, 2) + '\n');
    await rename(incoming, join(home.releases, name));
    await fsyncDir(home.releases);
  } catch (e) {
    await rm(incoming, { recursive: true, force: true });
    throw e;
  }
  await switchLink(home.current, join('releases', name));
  await appendDurable(home.ledger, {
    at: r.now.toISOString(), action: 'deploy', plugin: r.plugin, version: r.version, sha256: r.sha256,
    release: name, previous: live?.name, executionId: r.executionId, by: r.by,
  } satisfies LedgerEntry);
  r.log(`${r.plugin} ${r.version} is live: ${join(home.releases, name)}${live ? ` (previous: ${live.name})` : ''}`);
  await prune(home, r.keep, [name, live?.name]);
  return { changed: true, release: name, path: join(home.releases, name), previous: live?.name };
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

/** Unpacking that a crash interrupted: never live, safe to remove. */
async function removeIncoming(home: PluginHome): Promise<void> {
  for (const name of await readdir(home.releases)) {
    if (name.startsWith('.incoming-')) await rm(join(home.releases, name), { recursive: true, force: true });
  }
}

/** Keeps the newest `keep` releases, and always the live and previous ones. */
async function prune(home: PluginHome, keep: number, protect: Array<string | undefined>): Promise<void> {
  const releases = await listReleases(home);
  const old = releases.slice(0, Math.max(0, releases.length - keep)).filter((x) => !protect.includes(x.name));
  for (const x of old) {
    await rm(x.path, { recursive: true, force: true });
    await rm(releaseInfoPath(home, x.name), { force: true });
  }
}
