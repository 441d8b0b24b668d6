// The metric histories of every (optimization, plugin, metric), kept between analyses so each
// analysis reads only what is new since the last sample (the first reads the whole window). A
// source that fails keeps its history: the analysis goes on with the last good data and its
// status says which source failed, since when, and why.
import type { OptimizationItem } from './config.ts';
import { MetricHistory } from './analysis/history.ts';
import type { MetricReader } from './ports.ts';

export interface SourceStatus {
  optimization: string;
  plugin: string;
  metric: string;
  ok: boolean;
  error?: string;
  checkedAt: number;
  lastGoodAt?: number;
  samples: number;
  firstAt?: number;
  lastAt?: number;
}

/** Chart buckets over the window. */
export const chartBuckets = 240;

/**
 * Raw samples kept per history: the verdict's "after" comes from here (its "before" is kept with
 * the suggestion when the run starts), so the warm-up and the window after it, at one sample
 * every 5 s, with room to spare; 512 to 16,384.
 */
export function ringCapacityFor(item: Pick<OptimizationItem, 'verify'>): number {
  const span = item.verify.windowMs + item.verify.warmUpMs;
  return Math.min(16_384, Math.max(512, Math.ceil((1.5 * span) / 5_000)));
}

/** Scratch arrays for `addAll`, grown as needed and reused (adding is synchronous, so one pair serves all). */
let scratchT = new Float64Array(0), scratchV = new Float64Array(0);

/** The samples in (since, now] (they come oldest first), through the history's batch path. */
function addAll(h: MetricHistory, samples: ReadonlyArray<{ t: number; v: number }>, since: number, now: number): void {
  // The first sample after `since`, by bisection.
  let lo = 0, hi = samples.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (samples[mid]!.t > since) hi = mid; else lo = mid + 1; }
  const room = samples.length - lo;
  if (room <= 0) return;
  if (scratchT.length < room) { scratchT = new Float64Array(room); scratchV = new Float64Array(room); }
  let n = 0;
  for (let i = lo; i < samples.length; i++) {
    const s = samples[i]!;
    if (s.t > now) break;
    scratchT[n] = s.t;
    scratchV[n++] = s.v;
  }
  if (n > 0) h.addMany(scratchT.subarray(0, n), scratchV.subarray(0, n));
}

const keyOf = (item: string, plugin: string, metric: string) => `${item}\u0000${plugin}\u0000${metric}`;

export class Collector {
  readonly #histories = new Map<string, MetricHistory>();
  readonly #status = new Map<string, SourceStatus>();

  constructor(private readonly reader: MetricReader) {}

  history(item: OptimizationItem, plugin: string, metric: string): MetricHistory {
    const key = keyOf(item.id, plugin, metric);
    let h = this.#histories.get(key);
    if (!h) {
      h = new MetricHistory({
        name: metric, ...(item.metrics[metric]?.unit !== undefined ? { unit: item.metrics[metric]!.unit! } : {}), windowMs: item.windowMs, halfLifeMs: item.halfLifeMs, chartStepMs: Math.max(1000, Math.ceil(item.windowMs / chartBuckets)),
        ringCapacity: ringCapacityFor(item),
      });
      this.#histories.set(key, h);
    }
    return h;
  }

  /** Reads what is new of each metric of the plugin (not before `from(metric)` when it says); resolves when all have answered. */
  async refresh(item: OptimizationItem, plugin: string, metrics: readonly string[], now: number, from?: (metric: string) => number | undefined): Promise<void> {
    await Promise.all(metrics.map(async (metric) => {
      const source = item.metrics[metric];
      if (!source) return;
      const h = this.history(item, plugin, metric);
      const since = Math.max(h.count > 0 && Number.isFinite(h.lastAt) ? h.lastAt : now - item.windowMs, from?.(metric) ?? -Infinity);
      const key = keyOf(item.id, plugin, metric);
      const before = this.#status.get(key);
      let read: Awaited<ReturnType<MetricReader['read']>>;
      try { read = await this.reader.read({ item, plugin, metric, source, since, now }); } catch (e) { read = { ok: false, error: e instanceof Error ? e.message : String(e) }; }
      if (read.ok) addAll(h, read.samples, since, now);
      this.#status.set(key, {
        optimization: item.id, plugin, metric, ok: read.ok, ...(read.ok ? {} : { error: read.error }), checkedAt: now,
        ...(read.ok ? { lastGoodAt: now } : before?.lastGoodAt !== undefined ? { lastGoodAt: before.lastGoodAt } : {}),
        samples: h.count, ...(h.count ? { firstAt: h.firstAt, lastAt: h.lastAt } : {}),
      });
    }));
  }

  status(item?: string, plugin?: string): SourceStatus[] {
    return [...this.#status.values()].filter((s) => (item === undefined || s.optimization === item) && (plugin === undefined || s.plugin === plugin));
  }

  /** Drops the histories of optimizations, plugins or metrics no longer configured. */
  retain(items: ReadonlyMap<string, OptimizationItem>): void {
    for (const map of [this.#histories, this.#status] as Array<Map<string, unknown>>) {
      for (const key of map.keys()) {
        const [item, plugin, metric] = key.split('\u0000') as [string, string, string];
        const it = items.get(item);
        if (!it || !it.plugins.includes(plugin) || !it.metrics[metric]) map.delete(key);
      }
    }
  }
}
