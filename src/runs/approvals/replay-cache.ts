// The Slack requests already taken, kept on disk so that a signed request replayed after a restart
// (or sent to another process on the same state directory) is still refused while its timestamp
// is valid. One append-only file of `<expires-ms> <sha256 of the signature>` lines: a check and
// its record happen under a lock file that every process respects; a line is fsynced before the
// request counts as taken; expired lines are dropped by rewriting the file to a temporary one
// renamed over it (atomic); a torn last line is ignored. The file holds at most `maxEntries`
// live entries: past that, requests are refused rather than forgotten.
import { createHash } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { withLockFile } from '../../store/lock.ts';
import { PluginopsError } from '../../errors/base.ts';

export interface ReplayCache {
  /** Records `signature` until `untilMs`; false when it was already recorded and is not expired (a replay). */
  take(signature: string, untilMs: number, nowMs: number): Promise<boolean>;
}

export class ReplayCacheFullError extends PluginopsError {
  readonly code = 'E_REPLAY_CACHE_FULL';
  readonly kind = 'unavailable';
}

const line = /^(\d{1,15}) ([0-9a-f]{64})$/;
const defaultMaxEntries = 10_000;

async function readEntries(path: string): Promise<{ entries: Array<{ until: number; digest: string }>; torn: boolean }> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return ''; throw e; });
  const entries = text.split('\n').flatMap((l) => { const m = line.exec(l); return m ? [{ until: Number(m[1]), digest: m[2]! }] : []; });
  return { entries, torn: text !== '' && !text.endsWith('\n') };
}

async function writeDurably(path: string, text: string, flag: 'a' | 'w'): Promise<void> {
  const handle = await open(path, flag, 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function fileReplayCache(path: string, o: { maxEntries?: number } = {}): ReplayCache {
  const maxEntries = o.maxEntries ?? defaultMaxEntries;
  return {
    take: (signature, untilMs, nowMs) => withLockFile(`${path}.lock`, async () => {
      const digest = createHash('sha256').update(signature).digest('hex');
      const { entries, torn } = await readEntries(path);
      const live = entries.filter((e) => e.until > nowMs);
      if (live.some((e) => e.digest === digest)) return false;
      if (live.length >= maxEntries) throw new ReplayCacheFullError(`${maxEntries} Slack requests were taken within the replay window; refusing more until some expire`);
      const entry = `${Math.floor(untilMs)} ${digest}\n`;
      // Rewritten once expired lines make up most of it; appended to otherwise.
      if (entries.length - live.length > Math.max(64, live.length)) {
        await writeDurably(`${path}.tmp`, live.map((e) => `${e.until} ${e.digest}\n`).join('') + entry, 'w');
        await rename(`${path}.tmp`, path);
      } else {
        // After a torn last line (a crash mid-write) the entry starts a line of its own.
        await writeDurably(path, `${torn ? '\n' : ''}${entry}`, 'a');
      }
      return true;
    }),
  };
}
