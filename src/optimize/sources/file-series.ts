// What the metrics-file readers share: the limits that bound a file's cost, the checks on one
// sample's fields (time, plugin, metric, value), and the collector that groups samples by
// plugin and metric and keeps the first problems found. A limit reached is a problem that stops
// the reading (`stopped`); other problems are counted and reading goes on, so one pass reports
// every bad line (the first `maxProblems` in full).
import type { Sample } from '../analysis/types.ts';

export interface FileLimits {
  /** Files larger than this are refused before reading. */
  maxBytes: number;
  /** JSON is parsed whole, so it has a lower limit; CSV is read line by line. */
  maxJsonBytes: number;
  maxSeries: number;
  maxSamplesPerSeries: number;
  /** Problems reported in full; the rest are counted. */
  maxProblems: number;
  /** A CSV line longer than this is a problem, and is not held in memory whole. */
  maxLineChars: number;
}

export const defaultFileLimits: FileLimits = {
  maxBytes: 256 * 1024 * 1024,
  maxJsonBytes: 64 * 1024 * 1024,
  maxSeries: 100_000,
  maxSamplesPerSeries: 1_000_000,
  maxProblems: 20,
  maxLineChars: 64 * 1024,
};

/** Where in the file: a line and column (CSV, JSON syntax) or a path into the JSON value. */
export interface FileProblem { line?: number; col?: number; path?: string; message: string }

export const seriesKey = (plugin: string, metric: string): string => `${plugin}\u0000${metric}`;

const pluginId = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const metricName = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const isoTime = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2}))?$/;

/** Below this a number is seconds since the epoch (1e11 s is the year 5138; 1e11 ms is 1973). */
export const secondsBelow = 1e11;

type Checked = { ok: true; value: number } | { ok: false; message: string };

/** ms since the epoch, seconds (with decimals) when under 1e11, or an ISO time with a zone. */
export function readTime(v: unknown): Checked {
  const expected = 'expected ms since the epoch, seconds, or an ISO time such as 2024-05-01T10:00:00Z';
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && decimal.test(v.trim())) n = Number(v.trim());
  else if (typeof v === 'string' && isoTime.test(v.trim())) {
    const t = Date.parse(v.trim());
    return Number.isFinite(t) ? { ok: true, value: t } : { ok: false, message: `the time ${show(v)} is not a date; ${expected}` };
  } else return { ok: false, message: `the time ${show(v)} is not a time; ${expected}` };
  if (!Number.isFinite(n) || n < 0) return { ok: false, message: `the time ${show(v)} is not a time; ${expected}` };
  return { ok: true, value: n < secondsBelow ? Math.round(n * 1000) : Math.round(n) };
}

/** A finite number (a JSON number, or CSV text such as 1.5 or 2e3). */
export function readValue(v: unknown): Checked {
  const n = typeof v === 'number' ? v : typeof v === 'string' && decimal.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `the value ${show(v)} is not a number; expected a finite number such as 12.5` };
}

export function pluginProblem(v: unknown): string | undefined {
  return typeof v === 'string' && pluginId.test(v) ? undefined : `the plugin ${show(v)} is not a plugin id; expected letters, digits, \`_\` and \`-\`, starting with a letter`;
}

export function metricProblem(v: unknown): string | undefined {
  return typeof v === 'string' && metricName.test(v) ? undefined : `the metric ${show(v)} is not a metric name; expected letters, digits and \`_\`, starting with a letter`;
}

/** A value as a message shows it: JSON, at most 40 characters. */
export function show(v: unknown): string {
  const text = v === undefined ? 'missing' : JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

export class SeriesCollector {
  readonly series = new Map<string, Sample[]>();
  readonly problems: FileProblem[] = [];
  /** Problems past `maxProblems`, counted only. */
  more = 0;
  /** A limit was reached: the readers stop. */
  stopped = false;

  constructor(readonly limits: FileLimits) {}

  problem(p: FileProblem): void {
    if (this.problems.length < this.limits.maxProblems) this.problems.push(p);
    else this.more++;
  }

  /** A limit reached: its problem, and no more reading. */
  stop(p: FileProblem): void {
    this.problem(p);
    this.stopped = true;
  }

  add(plugin: string, metric: string, sample: Sample, where: Omit<FileProblem, 'message'>): void {
    const key = seriesKey(plugin, metric);
    let samples = this.series.get(key);
    if (samples === undefined) {
      if (this.series.size >= this.limits.maxSeries) {
        this.stop({ ...where, message: `more than ${this.limits.maxSeries} series (plugin and metric pairs); split the file` });
        return;
      }
      samples = [];
      this.series.set(key, samples);
    }
    if (samples.length >= this.limits.maxSamplesPerSeries) {
      this.stop({ ...where, message: `more than ${this.limits.maxSamplesPerSeries} samples for plugin ${plugin}, metric ${metric}; use a coarser step or a shorter window` });
      return;
    }
    samples.push(sample);
  }

  /** Every series in time order (a stable sort: samples at one time keep the file's order). */
  sorted(): Map<string, Sample[]> {
    for (const samples of this.series.values()) samples.sort((a, b) => a.t - b.t);
    return this.series;
  }
}
