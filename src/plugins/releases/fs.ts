// The few filesystem moves a release needs, each safe against a crash at any instant.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readlink, rename, symlink, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
}

/** Points `link` at `target` atomically: a new symlink renamed over the old one. */
export async function switchLink(link: string, target: string): Promise<void> {
  const tmp = join(dirname(link), `.${basename(link)}-${randomBytes(6).toString('hex')}`);
  await symlink(target, tmp);
  try {
    await rename(tmp, link);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dirname(link));
}

export async function readLinkOrUndefined(link: string): Promise<string | undefined> {
  try { return await readlink(link); } catch { return undefined; }
}

const { O_WRONLY, O_CREAT, O_APPEND, O_TRUNC, O_NOFOLLOW } = constants;

/** Appends one JSON line and fsyncs it before returning; never through a symlink. */
export async function appendDurable(file: string, record: unknown): Promise<void> {
  const fh = await open(file, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0o644);
  try {
    await fh.appendFile(JSON.stringify(record) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes a whole file, refusing to write through a symlink standing where it should be. */
export async function writeNoFollow(file: string, text: string): Promise<void> {
  const fh = await open(file, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o644);
  try { await fh.writeFile(text); } finally { await fh.close(); }
}
