// Going back through keyset pages: the API gives only the next page's cursor, so the page's URL
// carries the cursors of the pages before it (`back`, comma-separated, `-` for the first page,
// the newest 20 kept). "Previous" pops one; "Next" pushes the current one.
const cursorText = /^[A-Za-z0-9_-]{1,512}$/;
const first = '-';
const kept = 20;

export interface Trail {
  /** The cursor of the page shown; absent on the first page. */
  cursor?: string;
  /** The query of the page before, when there is one. */
  previous?: { cursor?: string; back?: string };
  /** The query of the page after, given its cursor. */
  next(cursor: string): { cursor: string; back: string };
}

export function cursorTrail(query: URLSearchParams): Trail {
  const raw = query.get('cursor') ?? '';
  const cursor = cursorText.test(raw) ? raw : undefined;
  const back = (query.get('back') ?? '').split(',').filter((c) => c === first || cursorText.test(c)).slice(-kept);
  const before = back.at(-1);
  const rest = back.slice(0, -1).join(',');
  return {
    ...(cursor === undefined ? {} : { cursor }),
    ...(cursor === undefined ? {} : { previous: { ...(before && before !== first ? { cursor: before } : {}), ...(rest ? { back: rest } : {}) } }),
    next: (c) => ({ cursor: c, back: [...back, cursor ?? first].slice(-kept).join(',') }),
  };
}
