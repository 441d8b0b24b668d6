// Pages of a list, newest first, behind an opaque cursor. Items are ordered by a time, then by id
// (both descending); the cursor names the last item a page held (base64url of `[time, id]`), and
// the next page holds the items strictly after it in that order. So an item added since — newer,
// it sorts before the cursor — never makes a page repeat or skip one, and an item removed since
// does not move the others.
import { ApiError } from './errors.ts';

export interface PageKey {
  at: number;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** The cursor of the next page; absent on the last one. */
  next?: string;
}

export const encodeCursor = (k: PageKey): string => Buffer.from(JSON.stringify([k.at, k.id]), 'utf8').toString('base64url');

/** The position a cursor names; a malformed one is a 400 E_VALIDATION on `cursor`. */
export function decodeCursor(cursor: string): PageKey {
  const refuse = (why: string) => new ApiError('badRequest', `\`cursor\` is not a cursor this server gave (${why}); start again without it`, [{ path: '/cursor', message: why }]);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse('not base64url');
  let value: unknown;
  try { value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')); } catch { throw refuse('not readable'); }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'number' || !Number.isFinite(value[0]) || typeof value[1] !== 'string') {
    throw refuse('not a position');
  }
  return { at: value[0], id: value[1] };
}

/** Newest first: later `at` before earlier, then greater id before smaller. */
const before = (a: PageKey, b: PageKey): boolean => a.at > b.at || (a.at === b.at && a.id > b.id);

/** At most `limit` items after `cursor` (from the newest without one), and the cursor after them when more remain. */
export function newestFirst<T>(items: readonly T[], key: (item: T) => PageKey, limit: number, cursor?: string): Page<T> {
  const from = cursor === undefined ? undefined : decodeCursor(cursor);
  const sorted = items
    .map((item) => ({ item, k: key(item) }))
    .filter(({ k }) => from === undefined || before(from, k))
    .sort((a, b) => (before(a.k, b.k) ? -1 : before(b.k, a.k) ? 1 : 0));
  const page = sorted.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map((p) => p.item), ...(sorted.length > limit && last ? { next: encodeCursor(last.k) } : {}) };
}
