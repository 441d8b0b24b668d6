// The check rollups on disk: `<store>/monitor/rollups.bin`, replaced atomically (temp file,
// fsync, rename) at most every few minutes while results come in, and once more on stop. Binary,
// since 10,000 checks hold ~37 MB of numbers that JSON would triple and take seconds to parse:
//
//   one JSON header line {"format":"pluginops-rollups","version":1,"endian":"LE",
//     "hourSlots":168,"daySlots":30,"checks":[[id, hourAt, dayAt], …]}\n
//   then per check, in that order: its hourly ring (Float32) and its daily ring (Float64)
//
// A file that cannot be read as such (torn, edited, from another layout) is a logged warning
// and empty rollups: history is informative, never a reason not to start.
import { mkdir, readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import type { Clock } from '../../engine/clock.ts';
import { replaceFile } from '../../store/append-log.ts';
import { insideRoot } from '../../store/paths.ts';
import { daySlots, hourSlots, Rollups, type CheckRollup } from './rollups.ts';

const format = 'pluginops-rollups';
const endian = endianness();
const hourBytes = hourSlots * 4 * 4;
const dayBytes = daySlots * 4 * 8;
/** How often rollups are written while results come in. */
export const defaultRollupSaveMs = 5 * 60_000;

export const rollupPath = (storeDir: string): string => insideRoot(storeDir, 'monitor', 'rollups.bin');

export function encodeRollups(byId: ReadonlyMap<string, CheckRollup>): Uint8Array {
  const checks = [...byId].map(([id, r]) => [id, r.hourAt, r.dayAt]);
  const header = Buffer.from(`${JSON.stringify({ format, version: 1, endian, hourSlots, daySlots, checks })}\n`, 'utf8');
  const out = Buffer.allocUnsafe(header.length + byId.size * (hourBytes + dayBytes));
  header.copy(out, 0);
  let at = header.length;
  for (const r of byId.values()) {
    out.set(new Uint8Array(r.hours.buffer, r.hours.byteOffset, hourBytes), at);
    out.set(new Uint8Array(r.days.buffer, r.days.byteOffset, dayBytes), at + hourBytes);
    at += hourBytes + dayBytes;
  }
  return out;
}

/** The rollups in `bytes`; throws an Error saying what is wrong with them. */
export function decodeRollups(bytes: Uint8Array): Map<string, CheckRollup> {
  const nl = bytes.indexOf(10);
  if (nl < 0) throw new Error('no header line');
  let header: unknown;
  try { header = JSON.parse(Buffer.from(bytes.subarray(0, nl)).toString('utf8')); } catch { throw new Error('the header is not JSON'); }
  const h = header as { format?: unknown; version?: unknown; endian?: unknown; hourSlots?: unknown; daySlots?: unknown; checks?: unknown };
  if (h.format !== format || h.version !== 1) throw new Error('not a rollup file of version 1');
  if (h.endian !== endian || h.hourSlots !== hourSlots || h.daySlots !== daySlots) throw new Error('written with another layout');
  const entries: unknown[] = Array.isArray(h.checks) ? h.checks : [];
  if (!Array.isArray(h.checks) || !entries.every(isEntry)) throw new Error('the list of checks is malformed');
  if (bytes.length - nl - 1 !== entries.length * (hourBytes + dayBytes)) throw new Error(`${bytes.length - nl - 1} bytes of buckets for ${entries.length} checks`);
  const out = new Map<string, CheckRollup>();
  let at = nl + 1;
  for (const [id, hourAt, dayAt] of entries) {
    // Copied out, so each ring is aligned and owns its memory (a Buffer's subarray shares it).
    const hours = new Float32Array(new Uint8Array(bytes.subarray(at, at + hourBytes)).buffer);
    const days = new Float64Array(new Uint8Array(bytes.subarray(at + hourBytes, at + hourBytes + dayBytes)).buffer);
    out.set(id, { hours, hourAt, days, dayAt });
    at += hourBytes + dayBytes;
  }
  return out;
}

const isEntry = (e: unknown): e is [string, number, number] =>
  Array.isArray(e) && e.length === 3 && typeof e[0] === 'string' && Number.isInteger(e[1]) && Number.isInteger(e[2]);

/** The rollups kept under `storeDir`; none when the file is absent, and none with a warning when it is unreadable. */
export async function loadRollups(storeDir: string, warn: (line: string) => void): Promise<Rollups> {
  const file = rollupPath(storeDir);
  let bytes: Buffer;
  try { bytes = await readFile(file); } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(`check history ${file} cannot be read (${(e as Error).message}); starting with none`);
    return new Rollups();
  }
  try { return new Rollups(decodeRollups(bytes)); } catch (e) {
    warn(`check history ${file} is not readable (${(e as Error).message}); starting with none`);
    return new Rollups();
  }
}

export interface RollupSaver {
  /** Writes now when anything changed since the last write. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  stop(): Promise<void>;
}

/**
 * Writes `rollups` every `everyMs` while they change, keeping only the checks `ids()` names.
 * A failed write is logged and tried again at the next turn.
 */
export function saveRollupsEvery(o: { rollups: Rollups; storeDir: string; clock: Clock; everyMs?: number; ids: () => Iterable<string>; log: (line: string, level: 'warn' | 'error') => void }): RollupSaver {
  const file = rollupPath(o.storeDir);
  let written = 0;
  let writing: Promise<void> = Promise.resolve();
  let cancel: (() => void) | undefined;
  let stopped = false;
  const flush = (): Promise<void> => {
    writing = writing.then(async () => {
      o.rollups.retain(new Set(o.ids()));
      const changes = o.rollups.changes;
      if (changes === written) return;
      try {
        await mkdir(insideRoot(o.storeDir, 'monitor'), { recursive: true });
        await replaceFile(file, encodeRollups(o.rollups.byId));
        written = changes;
      } catch (e) { o.log(`check history not written to ${file}: ${(e as Error).message}`, 'error'); }
    });
    return writing;
  };
  const arm = () => { if (!stopped) cancel = o.clock.setTimer(o.everyMs ?? defaultRollupSaveMs, () => { void flush().then(arm); }); };
  arm();
  return {
    flush,
    async stop() { stopped = true; cancel?.(); await flush(); },
  };
}
