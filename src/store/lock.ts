// A lock between processes as a file created exclusively: whoever creates it holds it, others wait
// and try again. A lock file older than 30 seconds belongs to a process that died holding it and
// is taken over.
import { open, rm, stat } from 'node:fs/promises';
import { StoreError, errorCode } from './errors.ts';

const staleLockMs = 30_000;
const lockWaitMs = 10_000;

/** Runs `fn` while holding the lock file `path`. */
export async function withLockFile<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const release = await acquireLock(path);
  try {
    return await fn();
  } finally {
    await release();
  }
}

/** Creates `path` exclusively, waiting while another holder has it; resolves with its release. */
async function acquireLock(path: string): Promise<() => Promise<void>> {
  const giveUp = Date.now() + lockWaitMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
    }
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > staleLockMs) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > giveUp) throw new StoreError('E_LOCKED', `${path} is held by another process`);
    await new Promise((ok) => setTimeout(ok, 15));
  }
}
