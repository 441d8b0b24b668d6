// Which `serve` process owns a store: a small file `control/serve.owner` holding its pid, host
// and start time, written when it starts and removed when it stops. A restore of the store (which
// swaps the whole directory) refuses while the owner is alive; a file left by a process killed
// with SIGKILL names a dead owner and counts for nothing.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { currentOwner, isOwnerAlive, type Owner } from './owner.ts';

export const serveOwnerName = 'serve.owner';

export const serveOwnerPath = (storeDir: string): string => join(storeDir, 'control', serveOwnerName);

/** Records this process as the store's `serve`; resolves with the release (removes the file if it still names us). */
export async function claimStore(storeDir: string, now: Date = new Date()): Promise<() => Promise<void>> {
  const path = serveOwnerPath(storeDir);
  const me = currentOwner();
  await mkdir(join(storeDir, 'control'), { recursive: true });
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify({ ...me, since: now.toISOString() })}\n`);
  await rename(temp, path);
  return async () => {
    const named = await readOwner(path);
    if (named && named.pid === me.pid && named.host === me.host) await rm(path, { force: true });
  };
}

/** The `serve` that owns the store while it is alive; undefined when none does (or it died). */
export async function liveServeOwner(storeDir: string): Promise<(Owner & { since?: string }) | undefined> {
  const owner = await readOwner(serveOwnerPath(storeDir));
  return owner && isOwnerAlive(owner) ? owner : undefined;
}

async function readOwner(path: string): Promise<(Owner & { since?: string }) | undefined> {
  let value: unknown;
  try { value = JSON.parse(await readFile(path, 'utf8')); } catch { return undefined; }
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, host, startTime, since } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || typeof host !== 'string') return undefined;
  return { pid, host, ...(typeof startTime === 'string' ? { startTime } : {}), ...(typeof since === 'string' ? { since } : {}) };
}
