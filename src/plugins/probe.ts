// One health probe of a plugin: an HTTP request or a command. Never throws: a probe that cannot
// run is an unhealthy result with the reason.
import type { Spawner } from '../engine/process/spawn.ts';

export interface ProbeResult { ok: boolean; ms: number; detail: string }

export type Probe =
  | { kind: 'http'; url: string; expectStatus?: number; timeoutMs: number }
  | { kind: 'command'; command: string; cwd: string; timeoutMs: number };

export interface ProbeEdges {
  fetch: typeof globalThis.fetch;
  spawn: Spawner;
  env: Record<string, string>;
  killGraceMs: number;
  signal: AbortSignal;
  now: () => number;
}

export async function probe(p: Probe, e: ProbeEdges): Promise<ProbeResult> {
  const started = e.now();
  const signal = AbortSignal.any([e.signal, AbortSignal.timeout(p.timeoutMs)]);
  const elapsed = () => Math.max(0, e.now() - started);
  if (p.kind === 'http') {
    try {
      const res = await e.fetch(p.url, { signal });
      await res.arrayBuffer().catch(() => undefined);
      const ok = p.expectStatus ? res.status === p.expectStatus : res.ok;
      return { ok, ms: elapsed(), detail: `${p.url} → ${res.status}` };
    } catch (err) {
      return { ok: false, ms: elapsed(), detail: `${p.url}: ${signal.aborted && !e.signal.aborted ? `no answer within ${p.timeoutMs}ms` : ((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message)}` };
    }
  }
  const lines: string[] = [];
  try {
    const r = await e.spawn({ command: 'sh', args: ['-c', p.command], cwd: p.cwd, env: e.env, signal, killGraceMs: e.killGraceMs, onLine: (_s, l) => { if (lines.length < 5) lines.push(l); } });
    const why = signal.aborted && !e.signal.aborted ? `timed out after ${p.timeoutMs}ms` : r.exitCode === 0 ? 'healthy' : `exit ${r.exitCode ?? r.signal}`;
    return { ok: r.exitCode === 0 && !signal.aborted, ms: elapsed(), detail: `${why}${lines.length ? `: ${lines.join(' | ')}` : ''}` };
  } catch (err) {
    return { ok: false, ms: elapsed(), detail: (err as Error).message };
  }
}
