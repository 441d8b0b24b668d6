// buildArchive: walk → hash (one read of every file) → input hash → reuse an earlier archive of
// the same input, or pack (a second read, checked against the first) into a temp file that is
// renamed into place.
import { randomBytes } from 'node:crypto';
import { constants, mkdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { findReusable, recordBuild, type IndexEntry } from './cache.ts';
import { ArchiveError, BuildError, errnoCode, osReason } from './errors.ts';
import { createExcluder } from './exclude.ts';
import { inputHash, serializeFileList } from './file-list.ts';
import { hashTree, sha256File } from './hash-files.ts';
import { packArchive, type PackItem } from './pack.ts';
import { Pacer } from './pacer.ts';
import { ARCHIVE_FORMAT, type BuildOptions, type BuildResult } from './types.ts';
import { walkTree } from './walk.ts';

export async function buildArchive(o: BuildOptions): Promise<BuildResult> {
  o.signal?.throwIfAborted();
  const dirs = resolveDirs(o);
  const pacer = new Pacer(o.signal);
  const insideRoot = [dirs.outDir, dirs.cacheDir].map((d) => relative(dirs.root, d)).filter((r) => r !== '' && !r.startsWith('..') && !isAbsolute(r));
  const tree = await walkTree(dirs.root, createExcluder(o.exclude ?? [], insideRoot), pacer);
  const list = await hashTree(tree, pacer);
  const hash = inputHash(ARCHIVE_FORMAT, list);
  const summary = { inputHash: hash, files: list.length, bytes: list.reduce((n, f) => n + f.size, 0), list };
  const archive = join(dirs.outDir, `${o.name}.tar.gz`);

  const hit = await findReusable(dirs.cacheDir, hash);
  if (hit) {
    await placeCopy(hit, archive);
    return { archive, size: hit.size, sha256: hit.sha256, reused: true, ...summary };
  }

  const items: PackItem[] = list.map((entry, i) => ({ entry, abs: tree[i]!.abs }));
  const tmp = tempName(archive);
  let packed: { size: number; sha256: string };
  try {
    packed = await packArchive(tmp, serializeFileList(list), items, o.signal);
    renameSync(tmp, archive);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw asBuildError(err, archive);
  }
  if (dirs.cacheDir === dirs.outDir) {
    recordBuild(dirs.cacheDir, hash, { archive, ...packed });
  } else {
    const cached = join(dirs.cacheDir, `${o.name}-${hash}.tar.gz`);
    await placeCopy({ archive, ...packed }, cached);
    recordBuild(dirs.cacheDir, hash, { archive: cached, ...packed });
  }
  return { archive, ...packed, reused: false, ...summary };
}

interface Dirs {
  root: string;
  outDir: string;
  /** outDir when no cacheDir was given. */
  cacheDir: string;
}

function resolveDirs(o: BuildOptions): Dirs {
  if (!/^[^/\\\0]+$/.test(o.name) || o.name.startsWith('.')) {
    throw new BuildError('E_OPTIONS', `name ${JSON.stringify(o.name)} is not a file name; expected no /, \\ or NUL and no leading dot`);
  }
  for (const p of o.exclude ?? []) {
    if (p.replace(/\/+$/, '') === '') throw new BuildError('E_OPTIONS', `exclude pattern ${JSON.stringify(p)} is empty`);
  }
  let root: string;
  try {
    root = realpathSync(resolve(o.root));
    if (!statSync(root).isDirectory()) throw new Error('not a directory');
  } catch (err) {
    throw new BuildError('E_OPTIONS', `root ${o.root} is not a readable directory: ${osReason(err)}`, { path: o.root, cause: err });
  }
  const outDir = ensureDir(o.outDir, 'outDir');
  if (outDir === root) throw new BuildError('E_OPTIONS', `outDir ${o.outDir} is the package root itself; expected another directory (a subdirectory is fine)`);
  const cacheDir = o.cacheDir === undefined ? outDir : ensureDir(o.cacheDir, 'cacheDir');
  if (cacheDir === root) throw new BuildError('E_OPTIONS', `cacheDir ${o.cacheDir} is the package root itself; expected another directory (a subdirectory is fine)`);
  return { root, outDir, cacheDir };
}

function ensureDir(dir: string, what: string): string {
  try {
    mkdirSync(resolve(dir), { recursive: true });
    return realpathSync(resolve(dir));
  } catch (err) {
    throw new BuildError('E_IO', `cannot create ${what} ${dir}: ${osReason(err)}`, { path: dir, cause: err });
  }
}

function tempName(final: string): string {
  const at = final.lastIndexOf('/');
  return `${final.slice(0, at + 1)}.${final.slice(at + 1)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Makes `dest` a copy of the verified archive `from`, unless it already is one. */
async function placeCopy(from: IndexEntry, dest: string): Promise<void> {
  if (from.archive === dest) return;
  try {
    const existing = await sha256File(dest);
    if (existing.sha256 === from.sha256 && existing.size === from.size) return;
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw asBuildError(err, dest);
  }
  const tmp = tempName(dest);
  try {
    await copyFile(from.archive, tmp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    renameSync(tmp, dest);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw asBuildError(err, dest);
  }
}

function asBuildError(err: unknown, path: string): unknown {
  if (err instanceof ArchiveError || (err instanceof Error && err.name === 'AbortError')) return err;
  return new BuildError('E_IO', `cannot build ${path}: ${osReason(err)}`, { path, cause: err });
}
