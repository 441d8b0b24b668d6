// HTML by construction: the `html` tag escapes every interpolated value unless it is already
// `Html` (made by this tag, or `raw` for text known to be markup). Arrays are joined, and
// `undefined`, `null` and `false` render nothing, so conditionals read naturally:
//
//   html`<li class=${cls}>${name}${canWrite && html`<button>…</button>`}</li>`
//
// Nothing user-controlled can become markup: check names, log lines, notes and parameters are
// always interpolated values, hence escaped (quotes too, so attribute values are safe when quoted).
export class Html {
  constructor(readonly text: string) {}
  toString(): string { return this.text; }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c]!);

export type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v === undefined || v === null || v === false || v === true) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup known to be safe (built here, never from input). */
export const raw = (text: string): Html => new Html(text);

/** Text whose `backticked` spans are code, as in the docs: escaped like any text, the spans in <code>. */
export const prose = (text: string): Html =>
  join(text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? html`<code>${part}</code>` : part)));

/** `values` rendered one after the other. */
export const join = (values: readonly Value[], separator: Value = ''): Html =>
  new Html(values.map(render).join(render(separator)));

/** A query string from the non-empty entries of `q` (`?a=1&b=2`, or '' when none). */
export function queryString(q: Readonly<Record<string, string | number | undefined>>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
