// One reading of a Linux process from /proc, read directly (no child process): the CPU time it
// has used and its resident memory. /proc/<pid>/stat gives utime and stime in clock ticks;
// /proc/<pid>/status gives VmRSS in kB. The tick is USER_HZ, which Linux fixes at 100 for
// user space on every architecture, so it is used here rather than asked of `getconf`.
// Errors come back as `{ ok: false, error }` in words; nothing here throws.
import { readFile } from 'node:fs/promises';

export type Failed = { ok: false; error: string };

/** Linux's USER_HZ: the unit of utime and stime in /proc/<pid>/stat. */
export const clockTicksPerSecond = 100;

export interface ProcessReading {
  /** utime + stime, in seconds. */
  cpuSeconds: number;
  rssBytes: number;
}

/** The pid in a pid file: a positive whole number, whitespace around it allowed. */
export async function readPidFile(path: string): Promise<{ ok: true; pid: number } | Failed> {
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (e) {
    return { ok: false, error: codeOf(e) === 'ENOENT' ? `no pid file at ${path}` : `cannot read the pid file ${path}: ${reason(e)}` };
  }
  const found = text.trim();
  if (!/^[0-9]{1,10}$/.test(found) || Number(found) < 1 || Number(found) > 2 ** 31 - 1) {
    const shown = found === '' ? 'it is empty' : `found ${JSON.stringify(found.slice(0, 40))}${found.length > 40 ? '…' : ''}`;
    return { ok: false, error: `the pid file ${path} does not hold a pid (${shown}); expected a positive whole number` };
  }
  return { ok: true, pid: Number(found) };
}

export interface StatFields { comm: string; state: string; utimeTicks: number; stimeTicks: number }

/**
 * The fields of /proc/<pid>/stat that matter here. The command name is in parentheses and may
 * itself hold spaces and parentheses, so the fields start after the LAST `)`; after it come
 * state (field 3) … utime (14) and stime (15).
 */
export function parseStat(text: string): { ok: true; stat: StatFields } | Failed {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return { ok: false, error: 'no command name in parentheses' };
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const [state, utime, stime] = [rest[0], rest[11], rest[12]];
  if (state === undefined || utime === undefined || stime === undefined || !/^\d+$/.test(utime) || !/^\d+$/.test(stime)) {
    return { ok: false, error: `expected at least 15 fields with utime and stime as whole numbers, found ${rest.length + 2}` };
  }
  return { ok: true, stat: { comm: text.slice(open + 1, close), state, utimeTicks: Number(utime), stimeTicks: Number(stime) } };
}

/** VmRSS from /proc/<pid>/status in bytes; a process with no user memory (a kernel thread) has none: 0. */
export function parseStatusRss(text: string): number {
  const m = /^VmRSS:\s*(\d+)\s*kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

/** CPU time and resident memory of `pid`; a pid with no live process is "no process with pid N". */
export async function sampleProcess(pid: number, procRoot = '/proc'): Promise<{ ok: true; reading: ProcessReading } | Failed> {
  const gone: Failed = { ok: false, error: `no process with pid ${pid}` };
  const stat = await readProcFile(`${procRoot}/${pid}/stat`);
  if (stat.kind !== 'text') return stat.kind === 'gone' ? gone : { ok: false, error: stat.error };
  const parsed = parseStat(stat.text);
  if (!parsed.ok) return { ok: false, error: `${procRoot}/${pid}/stat: ${parsed.error}` };
  // A zombie has exited and waits for its parent to reap it: it no longer runs.
  if (parsed.stat.state === 'Z' || parsed.stat.state === 'X') return { ok: false, error: `no process with pid ${pid} running (it has exited)` };
  const status = await readProcFile(`${procRoot}/${pid}/status`);
  if (status.kind !== 'text') return status.kind === 'gone' ? gone : { ok: false, error: status.error };
  const cpuSeconds = (parsed.stat.utimeTicks + parsed.stat.stimeTicks) / clockTicksPerSecond;
  return { ok: true, reading: { cpuSeconds, rssBytes: parseStatusRss(status.text) } };
}

type ProcFile = { kind: 'text'; text: string } | { kind: 'gone' } | { kind: 'error'; error: string };

async function readProcFile(path: string): Promise<ProcFile> {
  try {
    return { kind: 'text', text: await readFile(path, 'utf8') };
  } catch (e) {
    const code = codeOf(e);
    // ESRCH: the process ended between opening and reading.
    if (code === 'ENOENT' || code === 'ESRCH') return { kind: 'gone' };
    return { kind: 'error', error: `cannot read ${path}: ${reason(e)}` };
  }
}

export const codeOf = (e: unknown): string | undefined => {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
};

const words: Record<string, string> = {
  ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'not permitted', EISDIR: 'it is a directory', ENOTDIR: 'a part of the path is not a directory',
};

/** An fs error as words and its code: "permission denied (EACCES)". */
export function reason(e: unknown): string {
  const code = codeOf(e);
  if (code === undefined) return e instanceof Error ? e.message : String(e);
  return `${words[code] ?? (e instanceof Error ? e.message : String(e))} (${code})`;
}
