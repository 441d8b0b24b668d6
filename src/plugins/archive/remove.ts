// Removing a tree of any depth without recursion and without long paths: every subdirectory met
// below the first level is first renamed to the top of the tree, so no path handed to the kernel
// is longer than root + two names, and the work is a loop over a list, never a call per level.
// Symlinks are removed, never followed.
import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, renameSync, rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Removes `root` and everything below it (`keepRoot`: only what is below it). A missing root is
 * not an error; a root that is a symlink or a file is unlinked.
 */
export function removeTree(root: string, o: { keepRoot?: boolean } = {}): void {
  const st = lstatOrUndefined(root);
  if (!st) return;
  if (!st.isDirectory()) {
    if (!o.keepRoot) unlinkSync(root);
    return;
  }
  const tag = `.pluginops-rm-${randomBytes(4).toString('hex')}`;
  let moved = 0;
  const pending = [root];
  const emptied: string[] = [];
  while (pending.length) {
    const dir = pending.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (!entry.isDirectory()) {
        unlinkSync(path);
      } else if (dir === root) {
        pending.push(path);
      } else {
        const flat = join(root, `${tag}-${moved++}`);
        renameSync(path, flat);
        pending.push(flat);
      }
    }
    if (dir !== root) emptied.push(dir);
  }
  for (const dir of emptied) rmdirSync(dir);
  if (!o.keepRoot) rmdirSync(root);
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
