// Which process owns an execution, and whether that process is still alive (pid + Linux start
// time, so a recycled pid does not count as the owner).
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { errorCode } from './errors.ts';
import { isActive } from './fold.ts';
import type { ExecutionRecord, StepRecord } from './types.ts';

export type Owner = NonNullable<ExecutionRecord['owner']>;

export const interruptedMessage = 'the process running it stopped';

interface ProcStat {
  state: string;
  startTime: string;
}

const hasProcfs = existsSync('/proc/self/stat');

/** Reads /proc/<pid>/stat; undefined when it cannot be read. */
function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid …": comm may hold spaces and ")", so split after the last ")".
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19]; // field 22 of the whole line
  return state !== undefined && startTime !== undefined ? { state, startTime } : undefined;
}

/** The start time (clock ticks since boot) of `pid` on Linux; undefined elsewhere. */
export function processStartTime(pid: number): string | undefined {
  return hasProcfs ? readProcStat(pid)?.startTime : undefined;
}

let self: Owner | undefined;

export function currentOwner(): Owner {
  self ??= { pid: process.pid, host: hostname(), startTime: processStartTime(process.pid) };
  return { ...self };
}

/**
 * False only when we can tell that the owner is gone: same host and the pid does not exist, is a
 * zombie, or belongs to a process started at another time. Unknown owners count as alive.
 */
export function isOwnerAlive(owner: Owner | undefined): boolean {
  if (owner === undefined || owner.host !== hostname()) return true;
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if (errorCode(err) === 'ESRCH') return false;
  }
  if (!hasProcfs) return true;
  const stat = readProcStat(owner.pid);
  if (stat === undefined || stat.state === 'Z' || stat.state === 'X') return false;
  return owner.startTime === undefined || owner.startTime === stat.startTime;
}

/** Memoizes isOwnerAlive for one pass over many executions. */
export function livenessCheck(): (owner: Owner | undefined) => boolean {
  const seen = new Map<string, boolean>();
  return (owner) => {
    if (owner === undefined) return true;
    const key = `${owner.host}\0${owner.pid}\0${owner.startTime ?? ''}`;
    let alive = seen.get(key);
    if (alive === undefined) {
      alive = isOwnerAlive(owner);
      seen.set(key, alive);
    }
    return alive;
  };
}

/** The steps that were in flight (running) when the owner died, as they must read: interrupted. */
export function interruptedSteps(record: ExecutionRecord): StepRecord[] {
  return Object.values(record.steps)
    .filter((s) => s.status === 'running')
    .map((s) => ({ ...s, status: 'interrupted', error: s.error ?? interruptedMessage }));
}

/**
 * An execution left pending or running by a dead owner, as readers must see it: interrupted, and
 * so are the steps it was running; finished steps keep their status.
 */
export function withLiveness(record: ExecutionRecord, alive: (owner: Owner | undefined) => boolean): ExecutionRecord {
  if (!isActive(record.status) || alive(record.owner)) return record;
  const steps = { ...record.steps };
  for (const s of interruptedSteps(record)) steps[s.id] = s;
  return { ...record, status: 'interrupted', error: record.error ?? interruptedMessage, steps };
}
