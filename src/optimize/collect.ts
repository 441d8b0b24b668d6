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

const keyOf = (item: string, plugin: string, metric: string) => `${item}\u0000${plugin}\u0000${metric}`;

export class Collector {
  readonly #histories = new Map<string, MetricHistory>();
  readonly #status = new Map<string, SourceStatus>();

  constructor(private readonly reader: MetricReader) {}

  history(item: OptimizationItem, plugin: string, metric: string): MetricHistory {
    const key = keyOf(item.id, plugin, metric);
    let h = this.#histories.get(key);
    if (!h) {
      h = new MetricHistory({ name: metric, windowMs: item.windowMs, halfLifeMs: item.halfLifeMs, chartStepMs: Math.max(1000, Math.ceil(item.windowMs / chartBuckets)) });
      this.#histories.set(key, h);
    }
    return h;
  }

  /** Reads what is new of each metric of the plugin; resolves when all have answered. */
  async refresh(item: OptimizationItem, plugin: string, metrics: readonly string[], now: number): Promise<void> {
    await Promise.all(metrics.map(async (metric) => {
      const source = item.metrics[metric];
      if (!source) return;
      const h = this.history(item, plugin, metric);
      const since = h.count > 0 && Number.isFinite(h.lastAt) ? h.lastAt : now - item.windowMs;
      const key = keyOf(item.id, plugin, metric);
      const before = this.#status.get(key);
      let read: Awaited<ReturnType<MetricReader['read']>>;
      try { read = await this.reader.read({ item, plugin, metric, source, since, now }); } catch (e) { read = { ok: false, error: e instanceof Error ? e.message : String(e) }; }
      if (read.ok) for (const s of read.samples) if (s.t > since - 0 && s.t <= now) h.add(s.t, s.v);
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
