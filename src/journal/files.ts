// Writing an incident's files inside `incidents/<safe id>/` and nowhere else: every directory on
// the way must be a real directory (a committed symlink could point out of the repository), and
// every file is written through a path checked to stay in that folder.
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { JournalError } from './types.ts';

export const journalRoot = 'incidents';

/** The incident folder, created when missing; refused when any part of it is not a plain directory. */
export async function incidentFolder(top: string, safeId: string): Promise<string> {
  let dir = top;
  for (const part of [journalRoot, safeId]) {
    dir = join(dir, part);
    const st = await lstat(dir).catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return undefined; throw e; });
    if (st === undefined) await mkdir(dir);
    else if (!st.isDirectory()) throw unsafe(`${relative(top, dir)} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}; the journal writes only into plain directories of the repository`);
  }
  return dir;
}

/** `name` inside `folder`, checked once more so no name can resolve elsewhere. */
export function inFolder(folder: string, name: string): string {
  const path = resolve(folder, name);
  if (!path.startsWith(folder + sep) || path.slice(folder.length + 1).includes(sep)) throw unsafe(`${JSON.stringify(name)} would resolve outside ${folder}`);
  return path;
}

/** Writes `content`, refusing to follow a symbolic link that stands where the file should be. */
export async function writeJournalFile(folder: string, name: string, content: string): Promise<void> {
  const path = inFolder(folder, name);
  const st = await lstat(path).catch(() => undefined);
  if (st && !st.isFile()) throw unsafe(`${path} exists and is not a regular file`);
  await writeFile(path, content);
}

export async function readIfPresent(folder: string, name: string): Promise<string | undefined> {
  const path = inFolder(folder, name);
  const st = await lstat(path).catch(() => undefined);
  if (!st) return undefined;
  if (!st.isFile()) throw unsafe(`${path} is not a regular file`);
  return readFile(path, 'utf8');
}

const unsafe = (message: string) => new JournalError('E_JOURNAL_UNSAFE_PATH', message);
