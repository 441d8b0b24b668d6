// Identifiers that arrive in request paths. Every `{id}` segment is decoded and checked against
// one pattern before anything reads the disk or the monitor, so `../`, `%2F` and other path
// tricks are refused with 400 and never become file names.

/** Letters, digits, `_`, `.`, `:` and `-`, starting with a letter or digit; at most 128. */
export const idPattern = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$';
const idRe = new RegExp(idPattern);

export const isId = (text: string): boolean => idRe.test(text);

/** A path segment decoded, or undefined when its percent-encoding is broken. */
export function decodeSegment(raw: string): string | undefined {
  try { return decodeURIComponent(raw); } catch { return undefined; }
}
