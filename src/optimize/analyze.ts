// One analysis of one plugin under one Optimization: read what is new of each metric the enabled
// analyzers name (collect.ts), hand the histories to the pure analyzers (analysis/), and answer
// every finding and every reason for no finding. The errors analyzer also gets the plugin's error
// lines (Loki) and its incidents, when the reader can give them.
import type { OptimizationItem } from './config.ts';
import type { Collector } from './collect.ts';
import type { MetricReader } from './ports.ts';
import type { Analysis, MetricView, Scope } from './analysis/types.ts';
import { analyzeWorkers } from './analysis/workers.ts';
import { analyzeResources } from './analysis/resources.ts';
import { analyzeCache } from './analysis/cache.ts';
import { analyzeErrors } from './analysis/errors.ts';
import { analyzeThresholds } from './analysis/thresholds.ts';

/** The metrics the enabled analyzers of `item` read. */
export function metricsRead(item: OptimizationItem): string[] {
  const a = item.analyzers;
  const on = <T extends { enabled?: boolean }>(x: T | undefined): x is T => x !== undefined && x.enabled !== false;
  const names = [
    ...(on(a.workers) ? [a.workers.latency, a.workers.utilization, a.workers.current] : []),
    ...(on(a.resources) ? [a.resources.cpu, a.resources.memory, a.resources.oomEvents, a.resources.currentCpu, a.resources.currentMemory] : []),
    ...(on(a.cache) ? [a.cache.hitRatio, a.cache.latency, a.cache.current] : []),
    ...(on(a.errors) ? [a.errors.errorRate] : []),
    ...(a.thresholds ?? []).filter((t) => t.enabled !== false).map((t) => t.metric),
  ];
  return [...new Set(names.filter((n): n is string => typeof n === 'string'))];
}

/**
 * Metrics every analyzer that names them reads only for their newest value (a current worker count
 * or limit): they are read over the last `currentSpanMs` only, not the whole window.
 */
export function currentOnly(item: OptimizationItem): Set<string> {
  const a = item.analyzers;
  const current = new Set([a.workers?.current, a.resources?.currentCpu, a.resources?.currentMemory, a.cache?.current].filter((x): x is string => x !== undefined));
  const other = [
    a.workers?.latency, a.workers?.utilization, a.resources?.cpu, a.resources?.memory, a.resources?.oomEvents, a.cache?.hitRatio, a.cache?.latency,
    a.errors?.errorRate, ...(a.thresholds ?? []).map((t) => t.metric),
  ];
  for (const name of other) if (name !== undefined) current.delete(name);
  return current;
}

/** How far back a current-value metric is read: 6 h, or three analyses when they are further apart. */
export const currentSpanMs = (item: Pick<OptimizationItem, 'everyMs'>): number => Math.max(6 * 3_600_000, 3 * item.everyMs);

/** What analysing an item needs to know of its metrics, worked out once per configuration. */
const plans = new WeakMap<OptimizationItem, { read: string[]; current: Set<string> }>();
function planOf(item: OptimizationItem): { read: string[]; current: Set<string> } {
  let p = plans.get(item);
  if (!p) { p = { read: metricsRead(item), current: currentOnly(item) }; plans.set(item, p); }
  return p;
}

export async function analyzePlugin(item: OptimizationItem, plugin: string, now: number, collector: Collector, reader: MetricReader): Promise<Analysis[]> {
  const { read, current } = planOf(item);
  const tail = now - currentSpanMs(item);
  await collector.refresh(item, plugin, read, now, (metric) => (current.has(metric) ? tail : undefined));
  const view = (name: string | undefined): MetricView | undefined => {
    if (name === undefined) return undefined;
    const h = collector.history(item, plugin, name);
    return h.count > 0 ? h : undefined;
  };
  const scope: Scope = { windowMs: item.windowMs, rule: { minSamples: item.minSamples, minSpanMs: item.minSpanMs } };
  const a = item.analyzers;
  const out: Analysis[] = [];
  if (a.workers && a.workers.enabled !== false) {
    const w = a.workers;
    out.push(analyzeWorkers({ ...scope, latency: view(w.latency), utilization: view(w.utilization), current: view(w.current) }, w, now));
  }
  if (a.resources && a.resources.enabled !== false) {
    const r = a.resources;
    out.push(...analyzeResources({
      ...scope, cpu: view(r.cpu), memory: view(r.memory), oomEvents: view(r.oomEvents), currentCpu: view(r.currentCpu), currentMemory: view(r.currentMemory),
    }, r, now));
  }
  if (a.cache && a.cache.enabled !== false) {
    const c = a.cache;
    out.push(analyzeCache({ ...scope, hitRatio: view(c.hitRatio), latency: view(c.latency), current: view(c.current) }, c, now));
  }
  if (a.errors && a.errors.enabled !== false) {
    const e = a.errors;
    const since = now - item.windowMs;
    const lines = e.loki && reader.lines ? await reader.lines(e.loki, plugin, since, now) : undefined;
    out.push(analyzeErrors({
      ...scope, errorRate: view(e.errorRate), ...(lines?.ok ? { lines: lines.lines } : {}), incidents: reader.incidents?.(plugin, since) ?? [],
    }, e, now));
  }
  const thresholds = (a.thresholds ?? []).filter((t) => t.enabled !== false);
  if (thresholds.length) {
    out.push(...analyzeThresholds({ ...scope, views: Object.fromEntries(thresholds.map((t) => [t.metric, view(t.metric)])) }, thresholds, now));
  }
  return out;
}
