// Small measuring helpers shared by the benchmark modules.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A full garbage collection between in-process runs, so one run's garbage is not the next one's pause. */
export const collectGarbage: () => void = (() => {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    return () => gc();
  } catch {
    return () => undefined;
  }
})();

export interface CommandResult {
  ms: number;
  /** User + system CPU time of the command and every descendant it waited for (Linux; NaN elsewhere). */
  cpuMs: number;
  stdout: string;
}

/** CPU time (ms) of this process's children that have been waited for, from /proc/self/stat. */
export function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of proc(5), cutime and cstime, in clock ticks (100 per second on Linux).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Runs a command to completion and returns its wall time (spawn to exit). Throws with its stderr
 * when it exits non-zero.
 */
export function timeCommand(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const cpuBefore = childrenCpuMs();
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ ms, cpuMs: childrenCpuMs() - cpuBefore, stdout });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}: ${stderr.trim().slice(-2000)}`));
    });
  });
}

/** Runs `fn` `runs` times (after `warmup` unmeasured runs) and returns the durations in ms. */
export async function sample(runs: number, fn: () => Promise<unknown>, warmup = 0): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    collectGarbage();
    const t = performance.now();
    await fn();
    const dt = performance.now() - t;
    if (i >= warmup) out.push(dt);
  }
  return out;
}
