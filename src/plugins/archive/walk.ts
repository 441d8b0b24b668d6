// Lists the files and symlinks of a package root, minus exclusions, sorted by path in byte
// order. Types come from readdir (no stat per file: the hashing pass fstat()s each file anyway).
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError, osReason } from './errors.ts';
import type { Excluder } from './exclude.ts';
import type { Pacer } from './pacer.ts';
import { entrySegments, linkProblem } from './paths.ts';

export type TreeEntry =
  | { type: 'file'; path: string; abs: string }
  | { type: 'symlink'; path: string; abs: string; target: string };

export async function walkTree(root: string, excluded: Excluder, pacer: Pacer): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const dirs = [''];
  while (dirs.length > 0) {
    if (pacer.due()) await pacer.pause();
    const dir = dirs.pop()!;
    const absDir = dir ? join(root, dir) : root;
    let dirents;
    try {
      dirents = readdirSync(absDir, { withFileTypes: true });
    } catch (err) {
      throw new BuildError('E_IO', `cannot list ${absDir}: ${osReason(err)}`, { path: absDir, cause: err });
    }
    for (const d of dirents) {
      const path = dir ? `${dir}/${d.name}` : d.name;
      const isDir = d.isDirectory();
      if (excluded(path, isDir)) continue;
      const abs = join(absDir, d.name);
      if (isDir) dirs.push(path);
      else if (d.isFile()) out.push({ type: 'file', path: checkedName(path), abs });
      else if (d.isSymbolicLink()) out.push({ type: 'symlink', path: checkedName(path), abs, target: checkedTarget(path, abs) });
      else throw new BuildError('E_UNSUPPORTED_TYPE', `${abs} is a socket, FIFO or device; a package holds only files, directories and symlinks`, { path: abs });
    }
  }
  return sortByPath(out);
}

/** Sorted by the UTF-8 bytes of `path` (JavaScript's string order is UTF-16 order). */
export function sortByPath<T extends { path: string }>(entries: T[]): T[] {
  const keyed = entries.map((e) => ({ e, key: Buffer.from(e.path) }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return keyed.map((k) => k.e);
}

function checkedName(path: string): string {
  const r = entrySegments(path);
  if ('problem' in r) throw new BuildError('E_BAD_NAME', `cannot pack ${JSON.stringify(path)}: ${r.problem}; the extractor would refuse it`, { path });
  return path;
}

function checkedTarget(path: string, abs: string): string {
  let target: string;
  try {
    target = readlinkSync(abs);
  } catch (err) {
    throw new BuildError('E_IO', `cannot read symlink ${abs}: ${osReason(err)}`, { path: abs, cause: err });
  }
  const problem = linkProblem(path, target);
  if (problem) {
    throw new BuildError(problem.outside ? 'E_LINK_OUTSIDE' : 'E_LINK_UNSAFE', `symlink ${path}: ${problem.what}`, { path });
  }
  return target;
}
