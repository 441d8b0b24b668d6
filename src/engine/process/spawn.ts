// Processes as an edge. The real spawner starts each step in its own process group and, on
// abort, signals the whole tree: SIGTERM first, SIGKILL after the grace period.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { PluginopsError } from '../../errors/base.ts';

export interface SpawnRequest {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  signal: AbortSignal;
  killGraceMs: number;
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
}

export interface SpawnResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export type Spawner = (req: SpawnRequest) => Promise<SpawnResult>;

export class SpawnError extends PluginopsError {
  readonly code = 'E_SPAWN';
  readonly kind = 'failed';
}

export const spawnProcess: Spawner = (req) => new Promise((resolve, reject) => {
  const child = spawn(req.command, req.args, {
    cwd: req.cwd, env: req.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let graceTimer: NodeJS.Timeout | undefined;
  const kill = () => {
    if (child.pid === undefined) return;
    const pid = child.pid;
    const seen = signalTree(pid, 'SIGTERM');
    graceTimer = setTimeout(() => { for (const p of [...seen, ...signalTree(pid, 'SIGKILL')]) trySignal(p, 'SIGKILL'); }, req.killGraceMs);
    graceTimer.unref();
  };
  if (req.signal.aborted) kill(); else req.signal.addEventListener('abort', kill, { once: true });
  forwardLines(child.stdout, (l) => req.onLine('stdout', l));
  forwardLines(child.stderr, (l) => req.onLine('stderr', l));
  child.once('error', (e) => {
    req.signal.removeEventListener('abort', kill);
    reject(new SpawnError(`could not start ${req.command}: ${e.message}`));
  });
  child.once('exit', (exitCode, signal) => {
    req.signal.removeEventListener('abort', kill);
    // Output still buffered in the pipes arrives before 'close'; a background process that keeps
    // the pipes open must not hold the step, so wait for 'close' only briefly.
    const done = () => { clearTimeout(wait); resolve({ exitCode, signal }); };
    const wait = setTimeout(() => { child.stdout?.destroy(); child.stderr?.destroy(); done(); }, 100);
    child.once('close', done);
  });
});

function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (l: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) onLine(p.replace(/\r$/, ''));
  });
  stream.on('end', () => { if (rest) onLine(rest); rest = ''; });
}

/**
 * Signals a process group and every descendant found in /proc (they may have left the group);
 * returns the pids it signalled, so a later SIGKILL reaches them even once they are orphaned.
 */
export function signalTree(pid: number, sig: NodeJS.Signals): number[] {
  const pids = [pid, ...descendants(pid)];
  trySignal(-pid, sig);
  for (const p of pids) trySignal(p, sig);
  return pids;
}

function trySignal(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(pid, sig); } catch { /* already gone */ }
}

function descendants(root: number): number[] {
  let entries: string[];
  try { entries = readdirSync('/proc'); } catch { return []; }
  const children = new Map<number, number[]>();
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch { /* exited meanwhile */ }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) for (const c of children.get(queue.shift()!) ?? []) { out.push(c); queue.push(c); }
  return out;
}
