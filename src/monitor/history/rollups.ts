// Check history for uptime and charts: every result of a check is counted into buckets (how many
// ran, how many passed, the sum and the maximum of their response times), so the dashboard shows
// uptime over 24 h, 7 d and 30 d and response-time charts without keeping the results.
//
// Layout, chosen for memory: hourly buckets for 7 days (168) and daily buckets for 30 days (30,
// UTC days) per check, each a ring in one typed array of 4 numbers per bucket. Hourly buckets
// are Float32 (counts exact to 2^24 per hour; sums of milliseconds to 7 digits, plenty for an
// average); daily buckets are Float64, since a day of 1 s results sums past Float32's precision.
// That is 168×16 + 30×32 ≈ 3.6 KB per check, ~37 MB for 10,000 checks, where hourly buckets for
// 30 days would cost 11.5 KB per check (~115 MB). The price: the 30-day view is by day.
//
// Everything here is pure and driven by the results' own times (`at`), so tests run on virtual
// time; rollup-file.ts keeps the buckets on disk.
export const hourMs = 3_600_000;
export const dayMs = 86_400_000;
export const hourSlots = 168;
export const daySlots = 30;
/** Numbers kept per bucket: count, successes, sum of response times (ms), maximum (ms). */
const width = 4;

export const ranges = ['24h', '7d', '30d'] as const;
export type Range = (typeof ranges)[number];

/** The buckets of a range: their length, how many, and which ring holds them. */
export const rangeSpec: Readonly<Record<Range, { bucketMs: number; buckets: number; ring: 'hours' | 'days' }>> = {
  '24h': { bucketMs: hourMs, buckets: 24, ring: 'hours' },
  '7d': { bucketMs: hourMs, buckets: hourSlots, ring: 'hours' },
  '30d': { bucketMs: dayMs, buckets: daySlots, ring: 'days' },
};

/** One check's buckets; `hourAt`/`dayAt` are the index (time / bucket length) of the newest bucket written, -1 when none. */
export interface CheckRollup {
  hours: Float32Array;
  hourAt: number;
  days: Float64Array;
  dayAt: number;
}

export interface Bucket {
  /** Start of the bucket, ms since the epoch. */
  start: number;
  count: number;
  ok: number;
  /** Absent when nothing ran in the bucket. */
  avgMs?: number;
  maxMs?: number;
}

export type Uptime = Partial<Record<Range, number>>;

export const emptyRollup = (): CheckRollup => ({ hours: new Float32Array(hourSlots * width), hourAt: -1, days: new Float64Array(daySlots * width), dayAt: -1 });

/**
 * Counts one result at `index` (its bucket number) into `ring` whose newest bucket is `newest`;
 * returns the new newest. Buckets skipped over are cleared; a result older than the ring is dropped.
 */
export function addToRing(ring: Float32Array | Float64Array, slots: number, newest: number, index: number, ok: boolean, ms: number): number {
  if (index < 0 || index <= newest - slots) return newest;
  if (index > newest) {
    for (let k = Math.max(newest + 1, index - slots + 1); k <= index; k++) ring.fill(0, (k % slots) * width, (k % slots) * width + width);
    newest = index;
  }
  const s = (index % slots) * width;
  const t = Number.isFinite(ms) && ms > 0 ? ms : 0;
  ring[s] = ring[s]! + 1;
  if (ok) ring[s + 1] = ring[s + 1]! + 1;
  ring[s + 2] = ring[s + 2]! + t;
  if (t > ring[s + 3]!) ring[s + 3] = t;
  return newest;
}

/** Counts a result (its time, outcome and response time) into both rings of `r`. */
export function addResult(r: CheckRollup, at: number, ok: boolean, ms: number): void {
  r.hourAt = addToRing(r.hours, hourSlots, r.hourAt, Math.floor(at / hourMs), ok, ms);
  r.dayAt = addToRing(r.days, daySlots, r.dayAt, Math.floor(at / dayMs), ok, ms);
}

function bucketAt(ring: Float32Array | Float64Array, slots: number, newest: number, index: number, bucketMs: number): Bucket {
  const start = index * bucketMs;
  if (index > newest || index <= newest - slots || index < 0) return { start, count: 0, ok: 0 };
  const s = (index % slots) * width;
  const count = ring[s]!;
  if (count === 0) return { start, count: 0, ok: 0 };
  return { start, count, ok: ring[s + 1]!, avgMs: Math.round((ring[s + 2]! / count) * 10) / 10, maxMs: Math.round(ring[s + 3]! * 10) / 10 };
}

/** The buckets of `range` ending with the one holding `now`, oldest first (empty buckets included). */
export function series(r: CheckRollup | undefined, range: Range, now: number): Bucket[] {
  const spec = rangeSpec[range];
  const last = Math.floor(now / spec.bucketMs);
  const out: Bucket[] = [];
  for (let i = last - spec.buckets + 1; i <= last; i++) {
    out.push(r ? (spec.ring === 'hours' ? bucketAt(r.hours, hourSlots, r.hourAt, i, hourMs) : bucketAt(r.days, daySlots, r.dayAt, i, dayMs)) : { start: i * spec.bucketMs, count: 0, ok: 0 });
  }
  return out;
}

/** Successes over results in the buckets; undefined when nothing ran. */
export function ratio(buckets: readonly Bucket[]): number | undefined {
  let count = 0, ok = 0;
  for (const b of buckets) { count += b.count; ok += b.ok; }
  return count === 0 ? undefined : ok / count;
}

/** Successes over results in `range` up to `now`, straight from the ring (no buckets made: the check list reads thousands). */
function rangeRatio(r: CheckRollup, range: Range, now: number): number | undefined {
  const spec = rangeSpec[range];
  const [ring, slots, newest] = spec.ring === 'hours' ? [r.hours, hourSlots, r.hourAt] : [r.days, daySlots, r.dayAt];
  const current = Math.floor(now / spec.bucketMs);
  let count = 0, ok = 0;
  for (let i = Math.max(current - spec.buckets + 1, newest - slots + 1, 0); i <= Math.min(current, newest); i++) {
    const s = (i % slots) * width;
    count += ring[s]!;
    ok += ring[s + 1]!;
  }
  return count === 0 ? undefined : ok / count;
}

/** Uptime over each range that has results. */
export function uptime(r: CheckRollup | undefined, now: number): Uptime {
  const out: Uptime = {};
  if (!r) return out;
  for (const range of ranges) {
    const u = rangeRatio(r, range, now);
    if (u !== undefined) out[range] = u;
  }
  return out;
}

/** What the API reads: uptime and series by check id. */
export interface CheckHistory {
  uptime(id: string, now: number): Uptime;
  series(id: string, range: Range, now: number): Bucket[];
}

/** Every check's rollups, fed by each result (`record`), read by the API, kept on disk by rollup-file.ts. */
export class Rollups implements CheckHistory {
  readonly byId: Map<string, CheckRollup>;
  #changes = 0;

  constructor(initial?: Map<string, CheckRollup>) { this.byId = initial ?? new Map(); }

  record(id: string, at: number, ok: boolean, ms: number): void {
    let r = this.byId.get(id);
    if (!r) { r = emptyRollup(); this.byId.set(id, r); }
    addResult(r, at, ok, ms);
    this.#changes++;
  }

  /** Results counted since the start; a saver compares it with what it last wrote. */
  get changes(): number { return this.#changes; }

  /** Forgets the checks not in `ids` (removed from the configuration). */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.byId.keys()) if (!ids.has(id)) { this.byId.delete(id); this.#changes++; }
  }

  uptime(id: string, now: number): Uptime { return uptime(this.byId.get(id), now); }
  series(id: string, range: Range, now: number): Bucket[] { return series(this.byId.get(id), range, now); }
}
