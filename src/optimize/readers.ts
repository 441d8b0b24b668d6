// The metric reader `serve` gives optimization: each source kind read where it lives.
// - prometheus: a range query from the last sample kept (or the window's start) to now, at `step`
//   (default 1m), against the metric's `server` or the project's `monitoring.prometheus`.
// - pushed: the plugin's samples of the metric pushed to `POST /api/metrics` (the monitor keeps
//   the newest 1,000 of each series; each analysis reads what is new).
// - healthCheck: the check's results as they come (`observe`, from the monitor's result hook),
//   the newest `checkBuffer` of each check some Optimization reads kept here between analyses;
//   other checks' results cost a set lookup.
// - process: sampled here every `every` (default 15 s) while serve runs; the samples wait in a
//   bounded buffer for the next analysis, and the last error is what a failed read says.
// Loki lines for the errors analyzer come from the project's `monitoring.loki` (its newest 50).
import { parseDuration } from '../engine/duration.ts';
import type { MetricSourceDoc } from '../documents/schema/optimization.ts';
import type { CheckResult } from '../monitor/checks/result.ts';
import { countLoki } from '../monitor/sources/loki.ts';
import type { QueryServer, SourceEdges } from '../monitor/sources/request.ts';
import type { Sample } from './analysis/types.ts';
import type { OptimizationConfig } from './config.ts';
import type { MetricReader, Read, ReadRequest } from './ports.ts';
import { checkSamples, type CheckOutcome } from './sources/checks.ts';
import { ProcessSampler } from './sources/process.ts';
import { fetchPrometheus } from './sources/prometheus.ts';
import { pushedSamples, type PushedSeries } from './sources/pushed.ts';
import { fillQuery } from './sources/template.ts';

export interface ServeReaderEdges {
  /** Where relative pid files are read from. */
  root: string;
  now: () => number;
  fetch: SourceEdges['fetch'];
  servers: () => { prometheus?: QueryServer; loki?: QueryServer };
  pushed: PushedSeries;
  incidents?: MetricReader['incidents'];
  /** Timeout of one query (default 30 s). */
  timeoutMs?: number;
}

export const checkBuffer = 10_000;
export const processBuffer = 10_000;
const defaultStepMs = 60_000;

interface Sampling { sampler: ProcessSampler; samples: Sample[]; error?: string; timer: ReturnType<typeof setInterval> }

export class ServeReader implements MetricReader {
  readonly #edges: ServeReaderEdges;
  readonly #checks = new Map<string, CheckOutcome[]>();
  /** The health checks some Optimization reads: only their results are kept (`sync`). */
  #watched: ReadonlySet<string> = new Set();
  readonly #sampling = new Map<string, Sampling>();

  constructor(edges: ServeReaderEdges) { this.#edges = edges; }

  /** A check's result, from the monitor's hook. */
  observe(check: string, r: Pick<CheckResult, 'at' | 'ok' | 'durationMs'>): void {
    if (!this.#watched.has(check)) return;
    let list = this.#checks.get(check);
    if (!list) { list = []; this.#checks.set(check, list); }
    list.push({ at: r.at, ok: r.ok, durationMs: r.durationMs });
    if (list.length > checkBuffer * 1.25) list.splice(0, list.length - checkBuffer);
  }

  /** Keeps the results of the checks `config` reads, and samples its process sources (stopping those no longer there). */
  sync(config: OptimizationConfig): void {
    this.#watched = new Set([...config.items.values()].flatMap((i) => Object.values(i.metrics).flatMap((m) => (m.healthCheck ? [m.healthCheck] : []))));
    for (const id of this.#checks.keys()) if (!this.#watched.has(id)) this.#checks.delete(id);
    const wanted = new Map<string, { source: NonNullable<MetricSourceDoc['process']>; plugin: string }>();
    for (const item of config.items.values()) {
      for (const [metric, source] of Object.entries(item.metrics)) {
        if (!source.process) continue;
        for (const plugin of item.plugins) wanted.set(`${item.id}\u0000${plugin}\u0000${metric}\u0000${JSON.stringify(source.process)}`, { source: source.process, plugin });
      }
    }
    for (const [key, s] of this.#sampling) if (!wanted.has(key)) { clearInterval(s.timer); this.#sampling.delete(key); }
    for (const [key, w] of wanted) {
      if (this.#sampling.has(key)) continue;
      const sampler = new ProcessSampler(w.source, w.plugin, this.#edges.root, { clock: { now: this.#edges.now } });
      const entry: Sampling = { sampler, samples: [], timer: setInterval(() => { void take(entry); }, sampler.everyMs) };
      entry.timer.unref();
      this.#sampling.set(key, entry);
      void take(entry);
    }
  }

  stop(): void {
    for (const s of this.#sampling.values()) clearInterval(s.timer);
    this.#sampling.clear();
  }

  async read(req: ReadRequest): Promise<Read> {
    const { source, plugin, since, now } = req;
    if (source.prometheus !== undefined) {
      const server = source.server ? { url: source.server } : this.#edges.servers().prometheus;
      if (!server) return { ok: false, error: 'no Prometheus server: set `server` on the metric or `monitoring.prometheus.url` in the project file' };
      const stepMs = source.step ? parseDuration(source.step) : defaultStepMs;
      const start = Math.max(since + 1, now - req.item.windowMs);
      if (start > now) return { ok: true, samples: [] };
      return fetchPrometheus(server, source.prometheus, plugin, { start, end: now, stepMs, timeoutMs: this.#edges.timeoutMs ?? 30_000 }, { fetch: this.#edges.fetch });
    }
    if (source.pushed !== undefined) return { ok: true, samples: pushedSamples(this.#edges.pushed, source.pushed, plugin, since) };
    if (source.healthCheck !== undefined) {
      return { ok: true, samples: checkSamples((id) => this.#checks.get(id) ?? [], source.healthCheck, source.field ?? 'responseTime', since) };
    }
    if (source.process !== undefined) {
      const s = this.#sampling.get(`${req.item.id}\u0000${plugin}\u0000${req.metric}\u0000${JSON.stringify(source.process)}`);
      if (!s) return { ok: false, error: 'the process is not being sampled yet' };
      const samples = s.samples.filter((p) => p.t > since);
      return s.error !== undefined && samples.length === 0 ? { ok: false, error: s.error } : { ok: true, samples };
    }
    return { ok: false, error: 'the metric names no source' };
  }

  async lines(query: string, plugin: string, since: number, now: number): Promise<{ ok: true; lines: string[] } | { ok: false; error: string }> {
    const server = this.#edges.servers().loki;
    if (!server) return { ok: false, error: 'no Loki server: set `monitoring.loki.url` in the project file' };
    const filled = fillQuery(query, plugin);
    if (!filled.ok) return filled;
    const r = await countLoki(server, filled.text, { windowMs: Math.max(1000, now - since), end: now, timeoutMs: this.#edges.timeoutMs ?? 30_000 }, { fetch: this.#edges.fetch });
    if (!r.ok) return r;
    return { ok: true, lines: r.newest.map((l) => l.text) };
  }

  incidents(plugin: string, since: number): Array<{ id: string; title: string; openedAt: number }> {
    return this.#edges.incidents?.(plugin, since) ?? [];
  }
}

async function take(s: Sampling): Promise<void> {
  const r = await s.sampler.sample();
  if (!r.ok) { s.error = r.error; return; }
  delete s.error;
  if (r.sample) {
    s.samples.push(r.sample);
    if (s.samples.length > processBuffer * 1.25) s.samples.splice(0, s.samples.length - processBuffer);
  }
}
