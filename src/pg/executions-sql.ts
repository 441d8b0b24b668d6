// The statements of the PostgreSQL execution store that depend on a filter: an execution's
// liveness (its owner replica seen lately) and `list`'s conditions, written to select and order
// exactly what store/query.ts selects from the same records. Values always travel as parameters;
// the text is built from constants and `$n` placeholders only.
import { finishedStatuses, type ExecutionFilter, type ExecutionRecord } from '../store/types.ts';

/** Placeholders numbered in the order their values are added. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * False only for a pending or running execution whose owner is gone: its replica has no row that
 * is not stopped and was seen within `staleMs` by the database's clock (one clock for every
 * replica). Finished and waiting executions have nothing running, so their owner is not looked up.
 */
export function aliveSql(p: Params, staleMs: number, table = 'e'): string {
  return `(${table}.status NOT IN ('pending', 'running') OR ${table}.owner IS NULL
    OR EXISTS (SELECT 1 FROM replicas r WHERE r.id = ${table}.owner AND r.stopped_at IS NULL
      AND r.seen_at > now() - make_interval(secs => ${p.add(staleMs)}::double precision / 1000)))`;
}

/** Newest first, ids compared by code unit as query.ts compares them (whatever the database's collation). */
export const newestFirst = 'ORDER BY created_at DESC, id COLLATE "C" DESC';

/**
 * `list`'s statement: the rows `filter` selects with their liveness, in store/query.ts's order.
 * A pending or running execution whose owner is gone reads as interrupted (owner.ts
 * `withLiveness`), so the status filter is on that status.
 */
export function listSql(filter: ExecutionFilter, staleMs: number): { sql: string; params: unknown[] } {
  const p = new Params();
  const where: string[] = [];
  if (filter.plugin !== undefined) {
    const name = p.add(filter.plugin);
    where.push(`(x.record->'pluginId' = to_jsonb(${name}::text)
      OR regexp_replace(regexp_replace(x.plugin, '^(\\./)+', ''), '/+$', '') = ${p.add(pluginPath(filter.plugin))}
      OR x.record->'parameters'->'plugin' = to_jsonb(${name}::text))`);
  }
  if (filter.status !== undefined) {
    if (filter.status === 'pending' || filter.status === 'running') where.push(`x.status = ${p.add(filter.status)} AND x.alive`);
    else if (filter.status === 'interrupted') where.push(`(x.status = 'interrupted' OR (x.status IN ('pending', 'running') AND NOT x.alive))`);
    else where.push(`x.status = ${p.add(filter.status)}`);
  }
  if (filter.workflow !== undefined) where.push(`x.workflow = ${p.add(filter.workflow)}`);
  if (filter.category !== undefined) where.push(`x.category = ${p.add(filter.category)}`);
  if (filter.kind !== undefined) where.push(`COALESCE(x.kind, 'Workflow') = ${p.add(filter.kind)}`);
  if (filter.since !== undefined) where.push(`x.created_at >= to_timestamp(${p.add(filter.since)}::double precision / 1000)`);
  if (filter.until !== undefined) where.push(`x.created_at < to_timestamp(${p.add(filter.until)}::double precision / 1000)`);
  const alive = aliveSql(p, staleMs);
  const limit = filter.limit === undefined ? '' : ` LIMIT ${p.add(sliceLength(filter.limit))}`;
  const sql = `SELECT x.record, x.alive FROM (SELECT e.*, ${alive} AS alive FROM executions e) x
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${newestFirst}${limit}`;
  return { sql, params: p.values };
}

/** query.ts's `isPlugin` path form: no leading `./`, no trailing `/`. */
function pluginPath(p: string): string {
  return p.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

/** How many `slice(0, limit)` keeps; null (no LIMIT) for an infinite limit. */
function sliceLength(limit: number): number | null {
  if (limit === Number.POSITIVE_INFINITY) return null;
  return Number.isNaN(limit) ? 0 : Math.max(0, Math.trunc(limit));
}

export const finished: readonly string[] = finishedStatuses;

/** A time of the record as a timestamptz parameter; a text that is not a time sorts first. */
export function timeParam(at: string): string {
  const ms = Date.parse(at);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '-infinity';
}

/**
 * `value` as jsonb text. jsonb refuses the character U+0000 (a step's output can hold one), so
 * it is stored as U+FFFD: one unreadable character rather than a lost record or log line.
 */
export function jsonbText(value: unknown): string {
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}

/** The indexed columns of a record, as `create` and `update` write them. */
export function columnsOf(r: ExecutionRecord): { status: string; endedAt: string | null } {
  return { status: r.status, endedAt: r.endedAt === undefined ? null : timeParam(r.endedAt) };
}
